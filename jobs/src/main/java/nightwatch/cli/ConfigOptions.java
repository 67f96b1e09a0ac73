package nightwatch.cli;

import java.io.File;
import java.util.HashMap;
import java.util.Map;
import nightwatch.config.NightwatchConfig;
import picocli.CommandLine.Option;

/** The options every command that reads the warehouse shares: the config file and the warehouse it overrides. */
public final class ConfigOptions {
  @Option(names = "--conf", paramLabel = "FILE", description = "Config file (HOCON), e.g. conf/local.conf; an unknown "
      + "key fails and names itself.")
  public File conf;

  @Option(names = "--warehouse", paramLabel = "URI", description = "Warehouse: a folder or a Hadoop URI (file:, "
      + "hdfs://, s3a://); overrides nightwatch.warehouse (default: ./warehouse).")
  public String warehouse;

  /** The config from --conf with --warehouse applied. */
  public NightwatchConfig load() {
    return load(null);
  }

  /** As {@link #load()}, with {@code input} (null: the config's) as nightwatch.input.root. */
  public NightwatchConfig load(String input) {
    return load(conf, warehouse, input);
  }

  /** The config from {@code conf} (null: the defaults) with a warehouse and an input root (null: the config's). */
  public static NightwatchConfig load(File conf, String warehouse, String input) {
    Map<String, Object> overrides = new HashMap<>();
    if (warehouse != null) {
      overrides.put("nightwatch.warehouse", warehouse);
    }
    if (input != null) {
      overrides.put("nightwatch.input.root", input);
    }
    return NightwatchConfig.load(conf, overrides);
  }
}
