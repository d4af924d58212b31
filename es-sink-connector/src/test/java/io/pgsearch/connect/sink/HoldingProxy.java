package io.pgsearch.connect.sink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy in front of a real search node that can hold back the bulk requests sent through it
 * and then break their connections: a write stays in flight for as long as a test needs, and then
 * fails as in an outage. Every other request (reads of index metadata, the server's banner) passes.
 * It understands just enough HTTP/1.1 to find where each request starts: a body with a {@code
 * Content-Length} or in chunks.
 */
final class HoldingProxy implements AutoCloseable {
  private final ServerSocket server;
  private final String upstreamHost;
  private final int upstreamPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<Socket> held = new CopyOnWriteArrayList<>();
  private volatile boolean holdBulks;

  HoldingProxy(String upstreamHost, int upstreamPort) throws IOException {
    this.upstreamHost = upstreamHost;
    this.upstreamPort = upstreamPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    daemon("proxy-accept", this::accept);
  }

  String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  /** From now on, a bulk request is read but not passed on, and its connection waits. */
  void holdBulks() {
    holdBulks = true;
  }

  /** How many bulk requests are held. */
  int heldRequests() {
    return held.size();
  }

  /**
   * Resets the connections of the held requests (the client sees its request fail) and lets every
   * later request pass.
   */
  void breakHeld() throws IOException {
    holdBulks = false;
    for (Socket client : held) {
      if (client.isClosed()) {
        throw new IllegalStateException("A held request's connection was closed before its time");
      }
      client.setSoLinger(true, 0);
      client.close();
    }
    held.clear();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream;
        try {
          upstream = new Socket(upstreamHost, upstreamPort);
        } catch (IOException e) {
          client.close(); // the node is down: the client sees a broken connection, as without us
          continue;
        }
        sockets.add(client);
        sockets.add(upstream);
        daemon("proxy-up", () -> requests(client, upstream));
        daemon("proxy-down", () -> copy(upstream, client));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  /** Passes the client's requests on one by one, holding back a bulk request when asked. */
  private void requests(Socket client, Socket upstream) {
    try (client;
        upstream) {
      InputStream in = client.getInputStream();
      OutputStream out = upstream.getOutputStream();
      while (true) {
        byte[] head = readHead(in);
        if (head == null) {
          return;
        }
        String text = new String(head, StandardCharsets.ISO_8859_1);
        if (holdBulks && text.startsWith("POST /_bulk")) {
          held.add(client);
          // Nothing more is read or passed on, and the node's side is let go (so that a restart of
          // the node does not end the request): the connection stays open until broken.
          upstream.close();
          while (!client.isClosed()) {
            Thread.sleep(10);
          }
          return;
        }
        out.write(head);
        copyBody(text.toLowerCase(Locale.ROOT), in, out);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // a connection closed: the other side's copy ends too
    }
  }

  /** A request's line and headers up to and with the blank line; null at the end of the stream. */
  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < end.length) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toByteArray();
  }

  private static void copyBody(String head, InputStream in, OutputStream out) throws IOException {
    if (head.contains("\ntransfer-encoding: chunked")) {
      while (true) {
        String sizeLine = readLine(in, out);
        int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
        if (size == 0) {
          while (!readLine(in, out).isEmpty()) {
            // trailers, up to the blank line
          }
          return;
        }
        out.write(in.readNBytes(size + 2)); // the chunk and its CRLF
      }
    }
    int at = head.indexOf("\ncontent-length:");
    if (at >= 0) {
      int endOfLine = head.indexOf('\r', at + 1);
      long length = Long.parseLong(head.substring(at + 16, endOfLine).trim());
      out.write(in.readNBytes((int) length));
    }
  }

  /** Reads a line (passing it on as read), returned without its CRLF. */
  private static String readLine(InputStream in, OutputStream out) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      line.write(b);
    }
    byte[] bytes = line.toByteArray();
    out.write(bytes);
    out.write('\n');
    return new String(bytes, StandardCharsets.ISO_8859_1).trim();
  }

  private void copy(Socket from, Socket to) {
    try {
      from.getInputStream().transferTo(to.getOutputStream());
    } catch (IOException e) {
      // closed
    } finally {
      try {
        if (!held.contains(to)) {
          to.close();
        }
      } catch (IOException e) {
        // already closed
      }
    }
  }

  private static void daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : sockets) {
      socket.close();
    }
  }
}
