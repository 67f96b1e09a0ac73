package nightwatch.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-day run lock on a local warehouse: exclusive while live, taken over once its holder is gone. */
class DayLockTest {
  static final LocalDate DS = LocalDate.parse("2026-03-10");
  static final Duration LEASE = Duration.ofMinutes(5);
  static final Configuration HADOOP = new Configuration();

  @TempDir
  Path wh;

  Path lockFile() {
    return wh.resolve("_locks").resolve("ds=" + DS + ".lock");
  }

  DayLock take(String runId) {
    return DayLock.acquire(HADOOP, wh.toString(), DS, runId, LEASE, Clock.systemUTC());
  }

  @Test
  void aLiveLockRefusesASecondRunNamingTheHolderAndIsFreeAfterRelease() throws IOException {
    try (DayLock first = take("run-1")) {
      assertTrue(Files.exists(lockFile()));
      DayLock.HeldException e = assertThrows(DayLock.HeldException.class, () -> take("run-2"));
      assertTrue(e.getMessage().contains("locked by run run-1 (host "), e.getMessage());
      assertTrue(e.getMessage().contains(lockFile().toString()), "says which file to delete: " + e.getMessage());
    }
    assertFalse(Files.exists(lockFile()), "released");
    try (DayLock second = take("run-2")) {
      assertTrue(Files.readString(lockFile()).contains("run_id=run-2"));
    }
    // Another day is another lock.
    try (DayLock a = take("run-3");
         DayLock b = DayLock.acquire(HADOOP, wh.toString(), DS.plusDays(1), "run-4", LEASE, Clock.systemUTC())) {
      assertNotNull(a);
      assertNotNull(b);
    }
  }

  @Test
  void aLockWhoseProcessIsGoneFromThisHostIsTakenOverAtOnce() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    writeLock("killed-run", p.pid());
    try (DayLock l = take("rerun")) {
      assertTrue(Files.readString(lockFile()).contains("run_id=rerun"));
    }
  }

  @Test
  void aLockNotRenewedForALeaseIsTakenOverEvenIfItsProcessMayLive() throws Exception {
    writeLock("stalled-run", ProcessHandle.current().pid());
    Files.setLastModifiedTime(lockFile(), FileTime.from(Instant.now().minus(LEASE).minusSeconds(1)));
    try (DayLock l = take("next")) {
      assertTrue(Files.readString(lockFile()).contains("run_id=next"));
    }
  }

  @Test
  void stalenessIsTheLeaseOrADeadLocalProcess() throws Exception {
    Instant now = Instant.parse("2026-03-10T12:00:00Z");
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    Properties live = holder(ProcessHandle.current().pid());
    assertNull(DayLock.staleness(live, now.minus(LEASE), LEASE, clock), "renewed exactly a lease ago: live");
    assertEquals("not renewed for 301 s, lease 300 s",
        DayLock.staleness(live, now.minus(LEASE).minusSeconds(1), LEASE, clock));
    Properties remote = holder(1);
    remote.setProperty("host", "another-host.example");
    assertNull(DayLock.staleness(remote, now, LEASE, clock), "a process on another host cannot be checked: lease only");
  }

  @Test
  void releaseLeavesALockThatAnotherRunTookOver() throws IOException {
    DayLock mine = take("slow-run");
    Files.writeString(lockFile(), "run_id=new-owner\n");
    mine.close();
    assertTrue(Files.exists(lockFile()), "the new owner's lock stays");
  }

  private static Properties holder(long pid) throws IOException {
    Properties p = new Properties();
    p.setProperty("run_id", "r");
    p.setProperty("host", InetAddress.getLocalHost().getHostName());
    p.setProperty("pid", Long.toString(pid));
    return p;
  }

  private void writeLock(String runId, long pid) throws IOException {
    Files.createDirectories(lockFile().getParent());
    Files.writeString(lockFile(), "acquired_at=2026-03-10T00:00:00Z\nhost=" + InetAddress.getLocalHost().getHostName()
        + "\npid=" + pid + "\nrun_id=" + runId + "\n");
  }
}
