package nightwatch.io;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import nightwatch.SparkTest;
import nightwatch.schema.Tables;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-day run lock in the warehouse's run_locks Delta table: exclusive while live, taken over once stale. */
class DayLockTest extends SparkTest {
  static final LocalDate DS = LocalDate.parse("2026-03-10");
  static final Duration LEASE = Duration.ofMinutes(5);

  @TempDir
  Path dir;
  Warehouse wh;

  @BeforeEach
  void warehouse() {
    wh = new Warehouse(spark, dir.toString());
  }

  DayLock take(String runId) {
    return take(runId, DS);
  }

  DayLock take(String runId, LocalDate ds) {
    return DayLock.acquire(spark, wh, ds, runId, LEASE, Clock.systemUTC());
  }

  String holderOf(LocalDate ds) {
    DayLock.Holder h = DayLock.holder(spark, wh.path(Tables.RUN_LOCKS), ds);
    return h == null ? null : h.runId();
  }

  @Test
  void aLiveLockRefusesASecondRunNamingTheHolderAndIsFreeAfterRelease() {
    try (DayLock first = take("run-1")) {
      assertEquals("run-1", holderOf(DS));
      DayLock.HeldException e = assertThrows(DayLock.HeldException.class, () -> take("run-2"));
      assertTrue(e.getMessage().startsWith("day " + DS + " is locked by run run-1 (host "), e.getMessage());
      assertTrue(e.getMessage().contains("DELETE FROM delta.`" + wh.path(Tables.RUN_LOCKS) + "` WHERE ds = DATE'"
          + DS + "'"), "says how to free a day whose holder is gone: " + e.getMessage());
      first.ensureHeld();
    }
    assertNull(holderOf(DS), "released");
    try (DayLock second = take("run-2")) {
      assertEquals("run-2", holderOf(DS));
    }
    // Another day is another lock.
    try (DayLock a = take("run-3"); DayLock b = take("run-4", DS.plusDays(1))) {
      assertEquals("run-3", holderOf(DS));
      assertEquals("run-4", holderOf(DS.plusDays(1)));
    }
  }

  @Test
  void concurrentRunsOfOneDayGiveExactlyOneHolderWhileOtherDaysAllProceed() throws Exception {
    wh.ensureTable(Tables.RUN_LOCKS);
    int n = 4;
    CyclicBarrier start = new CyclicBarrier(n);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<DayLock>> sameDay = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String id = "racer-" + i;
        sameDay.add(pool.submit(raced(start, () -> take(id))));
      }
      List<DayLock> winners = new ArrayList<>();
      int refused = 0;
      for (Future<DayLock> f : sameDay) {
        try {
          winners.add(f.get());
        } catch (java.util.concurrent.ExecutionException e) {
          assertInstanceOf(DayLock.HeldException.class, e.getCause(), "a loser is refused cleanly");
          refused++;
        }
      }
      assertEquals(1, winners.size(), "one run holds the day");
      assertEquals(n - 1, refused);
      winners.forEach(DayLock::close);

      List<Future<DayLock>> days = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        LocalDate d = DS.plusDays(10 + i);
        days.add(pool.submit(raced(start, () -> take("day-" + d, d))));
      }
      for (Future<DayLock> f : days) {
        f.get().close(); // every day is taken: runs of different days never refuse each other
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static <T> Callable<T> raced(CyclicBarrier start, Callable<T> c) {
    return () -> {
      start.await();
      return c.call();
    };
  }

  @Test
  void aLockWhoseProcessIsGoneFromThisHostIsTakenOverAtOnce() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    writeHolder("killed-run", DayLock.host(), p.pid(), Instant.now().plus(LEASE));
    try (DayLock l = take("rerun")) {
      assertEquals("rerun", holderOf(DS));
    }
  }

  @Test
  void aLockNotRenewedForALeaseIsTakenOverEvenIfItsProcessMayLive() {
    writeHolder("stalled-run", "another-host.example", 1L, Instant.now().minusSeconds(1));
    try (DayLock l = take("next")) {
      assertEquals("next", holderOf(DS));
    }
  }

  @Test
  void stalenessIsTheLeaseOrADeadLocalProcess() {
    Instant now = Instant.parse("2026-03-10T12:00:00Z");
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    long me = ProcessHandle.current().pid();
    assertNull(DayLock.staleness(new DayLock.Holder("r", DayLock.host(), me, now, now), clock),
        "expiring exactly now: live");
    assertEquals("its lease ended at 2026-03-10T11:59:59Z, 1 s ago",
        DayLock.staleness(new DayLock.Holder("r", DayLock.host(), me, now, now.minusSeconds(1)), clock));
    assertNull(DayLock.staleness(new DayLock.Holder("r", "another-host.example", 1L, now, now.plus(LEASE)), clock),
        "a process on another host cannot be checked: lease only");
  }

  @Test
  void aRunWhoseDayWasTakenOverIsLostAndReleaseLeavesTheNewOwner() {
    DayLock mine = take("slow-run");
    spark.sql("UPDATE delta.`" + wh.path(Tables.RUN_LOCKS) + "` SET run_id = 'new-owner'");
    mine.renew();
    DayLock.LostException e = assertThrows(DayLock.LostException.class, mine::ensureHeld);
    assertTrue(e.getMessage().contains("run new-owner took it over"), e.getMessage());
    mine.close();
    assertEquals("new-owner", holderOf(DS), "the new owner's row stays");
  }

  @Test
  void aRunWhoseLeaseLapsedWithoutRenewalStopsBeforeItsNextCommit() {
    Instant[] now = {Instant.parse("2026-03-10T12:00:00Z")};
    Clock clock = new Clock() {
      @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
      @Override public Clock withZone(java.time.ZoneId z) { return this; }
      @Override public Instant instant() { return now[0]; }
    };
    try (DayLock l = DayLock.acquire(spark, wh, DS, "paused-run", LEASE, clock)) {
      l.ensureHeld();
      now[0] = now[0].plus(LEASE).plusSeconds(1);
      assertThrows(DayLock.LostException.class, l::ensureHeld, "past its lease, unrenewed: no more commits");
    }
  }

  private void writeHolder(String runId, String host, long pid, Instant expires) {
    wh.ensureTable(Tables.RUN_LOCKS);
    Row r = RowFactory.create(java.sql.Date.valueOf(DS), runId, host, pid,
        Timestamp.from(Instant.parse("2026-03-10T00:00:00Z")), Timestamp.from(expires));
    wh.append(Tables.RUN_LOCKS, spark.createDataFrame(List.of(r), Tables.schema(Tables.RUN_LOCKS).struct()));
  }
}
