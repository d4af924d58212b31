package io.pgsearch.connect.sink.transport;

/**
 * The search server answered a request with an error status: its HTTP status and, when its body
 * says, the error's type ({@code index_not_found_exception}) and reason. Elasticsearch and
 * OpenSearch answer errors alike.
 */
public final class SearchServerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String type;
  private final String reason;

  public SearchServerException(String request, int status, String type, String reason) {
    super(request + " answered HTTP " + status + (type == null ? "" : ": " + type + ": " + reason));
    this.status = status;
    this.type = type;
    this.reason = reason;
  }

  public int status() {
    return status;
  }

  /** The error type, or null when the body named none. */
  public String type() {
    return type;
  }

  /** The error's reason, or null when the body gave none. */
  public String reason() {
    return reason;
  }

  /** Too many requests or a server error: worth the same request again later. */
  public boolean isTransient() {
    return status == 429 || status >= 500;
  }

  /** The credentials were refused or lack a privilege. */
  public boolean isForbidden() {
    return status == 401 || status == 403;
  }
}
