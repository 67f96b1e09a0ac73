package nightwatch.log;

import java.util.Map;
import org.apache.logging.log4j.core.util.ContextDataProvider;

/**
 * Adds {@code ds} and {@code run_id} of the only run open in this JVM to every log event, so that lines logged by
 * threads the job does not start (Spark's scheduler, Delta's commit pools, local-mode task threads) carry them too.
 * With no run open, or several (tests run days side by side), it adds nothing and each thread's own context stands.
 * Registered for log4j2 in {@code META-INF/services}.
 */
public final class SoleRunContextProvider implements ContextDataProvider {
  @Override
  public Map<String, String> supplyContextData() {
    return LogContext.soleRun();
  }
}
