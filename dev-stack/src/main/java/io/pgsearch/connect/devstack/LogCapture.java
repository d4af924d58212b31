package io.pgsearch.connect.devstack;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Collects what loggers of this JVM write (Connect runs in-process in the ITs): one logger's lines,
 * or every line that reaches the root logger's appenders, with the messages of attached exceptions,
 * as a log file would show them. Log4j 2 must be the test's logging backend.
 */
public final class LogCapture extends AbstractAppender implements AutoCloseable {
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final String loggerName;

  private LogCapture(String loggerName) {
    super(
        "capture-" + loggerName + "-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
    this.loggerName = loggerName;
  }

  /** What the logger named after the class writes. */
  public static LogCapture of(Class<?> type) {
    LogCapture capture = new LogCapture(type.getName());
    capture.start();
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    ((org.apache.logging.log4j.core.Logger) context.getLogger(type.getName())).addAppender(capture);
    return capture;
  }

  /** Every event that passes the configured levels, from any logger. */
  public static LogCapture all() {
    LogCapture capture = new LogCapture(LogManager.ROOT_LOGGER_NAME);
    capture.start();
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    context.getConfiguration().getRootLogger().addAppender(capture, null, null);
    context.updateLoggers();
    return capture;
  }

  @Override
  public void append(LogEvent event) {
    StringBuilder line =
        new StringBuilder(event.getLevel() + " " + event.getMessage().getFormattedMessage());
    for (Throwable thrown = event.getThrown(); thrown != null; thrown = thrown.getCause()) {
      line.append(" | ").append(thrown);
    }
    lines.add(line.toString());
  }

  /** Every captured line: level, message, then each attached exception and its causes. */
  public List<String> lines() {
    return new ArrayList<>(lines);
  }

  public List<String> warnings() {
    return lines.stream().filter(l -> l.startsWith(Level.WARN.name())).toList();
  }

  @Override
  public void close() {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    if (loggerName.isEmpty()) {
      LoggerConfig root = context.getConfiguration().getRootLogger();
      root.removeAppender(getName());
      context.updateLoggers();
    } else {
      ((org.apache.logging.log4j.core.Logger) context.getLogger(loggerName)).removeAppender(this);
    }
    stop();
  }
}
