package io.pgsearch.connect.devstack;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Options of the {@link PostgresNode} that {@link DevStackExtension} injects for a parameter. */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
public @interface PostgresOptions {
  /** The major version: 17 (the default) or 16. */
  int major() default 17;

  /**
   * SSL on, with a generated CA, and required of the application role: see {@link
   * PostgresNode#startWithSsl(int, java.nio.file.Path)}.
   */
  boolean ssl() default false;
}
