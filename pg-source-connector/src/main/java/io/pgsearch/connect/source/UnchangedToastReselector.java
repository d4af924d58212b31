package io.pgsearch.connect.source;

import io.debezium.DebeziumException;
import io.debezium.bean.spi.BeanRegistry;
import io.debezium.bean.spi.BeanRegistryAware;
import io.debezium.data.Envelope;
import io.debezium.processors.reselect.ReselectColumnsPostProcessor;
import io.debezium.processors.spi.PostProcessor;
import io.debezium.service.spi.ServiceRegistry;
import io.debezium.service.spi.ServiceRegistryAware;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes every change event carry the whole row: the columns PostgreSQL left out because they are
 * TOASTed and unchanged (Debezium's unavailable-value placeholder) are read back from the table by
 * key, through Debezium's {@link ReselectColumnsPostProcessor}. With every event a full document,
 * the sink never sends an unversioned partial update.
 *
 * <p>What Debezium's processor does by default on a failed query — log a warning and let the
 * placeholder through — is what lost documents when PostgreSQL restarted: the event became a
 * partial update of a document the index did not hold. Here the outcomes are:
 *
 * <ul>
 *   <li>the row was read: its current values replace the placeholders (a later change of those
 *       columns carries its own values and a higher version, so the document converges);
 *   <li>the query failed: the error (with the {@link SQLException} as cause) reaches Debezium's
 *       error handler, which restarts the task from the last committed position, so the change is
 *       read again. A permanent SQLSTATE fails the task instead ({@link PostgresSourceTask});
 *   <li>the row no longer exists: it was deleted, truncated or re-keyed by a transaction committed
 *       after this change, whose own event follows. The event becomes a delete at this change's
 *       position: that is the row's state as of now, and the later events decide the rest.
 * </ul>
 */
public class UnchangedToastReselector
    implements PostProcessor, BeanRegistryAware, ServiceRegistryAware {
  private static final Logger LOG = LoggerFactory.getLogger(UnchangedToastReselector.class);

  /** Debezium's key of the processor's error handling: fail lets us see each outcome. */
  static final String ERROR_HANDLING = ReselectColumnsPostProcessor.ERROR_HANDLING_MODE.name();

  /** How Debezium's processor (3.7) starts the message of a key that matched no row. */
  static final String ROW_NOT_FOUND = "Failed to find row in table ";

  private final PostProcessor delegate;

  public UnchangedToastReselector() {
    this(new ReselectColumnsPostProcessor());
  }

  /** With another processor in Debezium's place: for unit tests of the outcomes. */
  UnchangedToastReselector(PostProcessor delegate) {
    this.delegate = delegate;
  }

  @Override
  public void configure(Map<String, ?> properties) {
    Map<String, Object> props = new HashMap<>(properties);
    props.put(ERROR_HANDLING, ReselectColumnsPostProcessor.ErrorHandlingMode.FAIL.getValue());
    delegate.configure(props);
  }

  @Override
  public void injectBeanRegistry(BeanRegistry beanRegistry) {
    if (delegate instanceof BeanRegistryAware aware) {
      aware.injectBeanRegistry(beanRegistry);
    }
  }

  @Override
  public void injectServiceRegistry(ServiceRegistry serviceRegistry) {
    if (delegate instanceof ServiceRegistryAware aware) {
      aware.injectServiceRegistry(serviceRegistry);
    }
  }

  @Override
  public void apply(Object key, Struct value) {
    try {
      delegate.apply(key, value);
    } catch (DebeziumException e) {
      SQLException sql = sqlCause(e);
      String table =
          TableName.ofChangeEvent(value).map(TableName::toString).orElse("an unknown table");
      if (sql == null && !isRowNotFound(e)) {
        throw e;
      }
      if (sql != null) {
        // No key values in the message: they are row data.
        throw new DebeziumException(
            "Reading back the unchanged TOAST columns of a row of "
                + table
                + " failed; the change is read again when the task restarts: "
                + sql.getMessage(),
            sql);
      }
      LOG.debug("A row of {} changed and was removed since; its change becomes a delete", table);
      toDelete(value);
    }
  }

  /** Rewrites a create or update event in place into a delete of the same key and position. */
  static void toDelete(Struct value) {
    value.put(Envelope.FieldName.OPERATION, Envelope.Operation.DELETE.code());
    value.put(Envelope.FieldName.AFTER, null);
  }

  /** Debezium's processor says so only in its message; anything else is rethrown, not guessed. */
  static boolean isRowNotFound(DebeziumException error) {
    return error.getCause() == null
        && error.getMessage() != null
        && error.getMessage().startsWith(ROW_NOT_FOUND);
  }

  static SQLException sqlCause(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql) {
        return sql;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return null;
  }

  @Override
  public void close() {
    delegate.close();
  }
}
