package nightwatch.cli;

import picocli.CommandLine.Option;

/** The generator's seed, shared by the commands that generate days. */
public final class SeedOption {
  @Option(names = "--seed", defaultValue = "7", description = "Generator seed; the same seed on consecutive dates "
      + "continues the same campaigns (default: ${DEFAULT-VALUE}).")
  public long seed;
}
