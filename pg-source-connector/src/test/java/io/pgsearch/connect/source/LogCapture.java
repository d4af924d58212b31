package io.pgsearch.connect.source;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** Collects what a logger writes, in this JVM (Connect runs in-process in the ITs). */
final class LogCapture extends AbstractAppender implements AutoCloseable {
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final String loggerName;

  private LogCapture(String loggerName) {
    super("capture-" + loggerName, null, null, true, Property.EMPTY_ARRAY);
    this.loggerName = loggerName;
  }

  static LogCapture of(Class<?> type) {
    LogCapture capture = new LogCapture(type.getName());
    capture.start();
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    context.getConfiguration().getLoggerConfig(type.getName()); // ensure config exists
    ((org.apache.logging.log4j.core.Logger) context.getLogger(type.getName())).addAppender(capture);
    return capture;
  }

  @Override
  public void append(LogEvent event) {
    lines.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
  }

  List<String> warnings() {
    return lines.stream().filter(l -> l.startsWith(Level.WARN.name())).toList();
  }

  @Override
  public void close() {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    ((org.apache.logging.log4j.core.Logger) context.getLogger(loggerName)).removeAppender(this);
    stop();
  }
}
