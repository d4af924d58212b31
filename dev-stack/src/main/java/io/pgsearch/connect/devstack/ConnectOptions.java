package io.pgsearch.connect.devstack;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Options of the {@link ConnectCluster} that {@link DevStackExtension} injects for a parameter. */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
public @interface ConnectOptions {
  /** The number of Connect workers. */
  int workers() default 1;
}
