package io.pgsearch.connect.devstack;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Options of the {@link SearchNode} that {@link DevStackExtension} injects for a parameter. */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
public @interface ElasticsearchOptions {
  /** The major version: 8 ({@link Versions#elasticsearch8()}) or 9 (needs a JDK 21+). */
  int major() default 8;

  /** TLS, basic auth and a file-realm user: see {@link SearchNode.Builder#secured()}. */
  boolean secured() default false;
}
