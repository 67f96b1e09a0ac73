package nightwatch.io;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import nightwatch.config.NightwatchConfig.InvalidConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WarehouseGuardTest {
  @TempDir
  Path tmp;

  @Test
  void aPlainFolderAndARemoteBucketPass() throws Exception {
    WarehouseGuard.check(tmp.resolve("wh").toString());
    Files.createDirectories(tmp.resolve("wh2/clusters"));
    WarehouseGuard.check(tmp.resolve("wh2").toString());
    WarehouseGuard.check("s3a://bucket/nightwatch");
    WarehouseGuard.check("file://" + tmp.resolve("wh3"));
  }

  @Test
  void parentSegmentsAreRefused() {
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> WarehouseGuard.check(tmp + "/wh/../../etc"));
    assertTrue(e.getMessage().startsWith("invalid config: nightwatch.warehouse must not contain '..'"), e.getMessage());
    assertThrows(InvalidConfigException.class, () -> WarehouseGuard.check("s3a://bucket/nightwatch/../other"));
  }

  @Test
  void rootsAreRefused() {
    assertThrows(InvalidConfigException.class, () -> WarehouseGuard.check("/"));
    assertThrows(InvalidConfigException.class, () -> WarehouseGuard.check("s3a://bucket/"));
    assertThrows(InvalidConfigException.class, () -> WarehouseGuard.check(" "));
  }

  @Test
  void aTableFolderLinkedOutsideTheWarehouseIsRefused() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("elsewhere"));
    Path wh = Files.createDirectories(tmp.resolve("wh"));
    Files.createSymbolicLink(wh.resolve("clusters"), outside);
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> WarehouseGuard.check(wh.toString()));
    assertTrue(e.getMessage().contains("clusters leads outside the warehouse"), e.getMessage());
    Path wh2 = Files.createDirectories(tmp.resolve("wh2"));
    Files.createSymbolicLink(wh2.resolve("reports"), outside);
    assertThrows(InvalidConfigException.class, () -> WarehouseGuard.check(wh2.toString()));
  }

  @Test
  void aLinkInsideTheWarehouseIsFine() throws Exception {
    Path wh = Files.createDirectories(tmp.resolve("wh"));
    Files.createDirectories(wh.resolve("store/clusters"));
    Files.createSymbolicLink(wh.resolve("clusters"), wh.resolve("store/clusters"));
    WarehouseGuard.check(wh.toString());
  }
}
