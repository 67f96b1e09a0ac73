package nightwatch.io;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import nightwatch.config.NightwatchConfig.InvalidConfigException;
import nightwatch.schema.Tables;

/**
 * Checks at start that every write stays inside the configured warehouse: the location names no parent
 * folder ({@code ..}) and is not a filesystem root, and, on a local filesystem, no table folder nor
 * {@code reports/} is a link that leads outside it. A violation is a bad config (exit code 5).
 */
public final class WarehouseGuard {
  private WarehouseGuard() {}

  /** Folders directly under the warehouse that the job writes. */
  static List<String> written() {
    List<String> all = new ArrayList<>(Tables.OUTPUTS);
    all.addAll(Tables.REFERENCE);
    all.add(Tables.RUN_LOCKS);
    all.add("reports");
    return all;
  }

  public static void check(String warehouse) {
    if (warehouse == null || warehouse.isBlank()) {
      throw new InvalidConfigException("invalid config: nightwatch.warehouse is empty");
    }
    String path = hasScheme(warehouse) ? URI.create(warehouse.replace(" ", "%20")).getPath() : warehouse;
    for (String segment : (path == null ? "" : path).replace('\\', '/').split("/")) {
      if (segment.equals("..")) {
        throw new InvalidConfigException("invalid config: nightwatch.warehouse must not contain '..': " + warehouse);
      }
    }
    if (hasScheme(warehouse) && !warehouse.startsWith("file:")) {
      if (path == null || path.isEmpty() || path.equals("/")) {
        throw new InvalidConfigException("invalid config: nightwatch.warehouse must be a folder, not the root of "
            + warehouse);
      }
      return; // links are a local-filesystem concern
    }
    Path root = (warehouse.startsWith("file:") ? Path.of(URI.create(warehouse)) : Path.of(warehouse))
        .toAbsolutePath().normalize();
    if (root.getParent() == null) {
      throw new InvalidConfigException("invalid config: nightwatch.warehouse must not be a filesystem root: " + warehouse);
    }
    if (!Files.exists(root)) {
      return;
    }
    try {
      Path real = root.toRealPath();
      for (String name : written()) {
        Path p = root.resolve(name);
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !p.toRealPath().startsWith(real)) {
          throw new InvalidConfigException("invalid config: " + p + " leads outside the warehouse " + real
              + " (to " + p.toRealPath() + "); refusing to write there");
        }
      }
    } catch (IOException e) {
      throw new InvalidConfigException("invalid config: cannot resolve nightwatch.warehouse " + warehouse + ": "
          + e.getMessage());
    }
  }

  private static boolean hasScheme(String s) {
    return s.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") && !s.matches("^[a-zA-Z]:[\\\\/].*");
  }
}
