package nightwatch.job;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Spark's own task metrics, summed per Nightwatch stage (the job group that {@link StageTimer} sets):
 * jobs, job wall time, task run time, shuffle bytes read and written, spilled bytes, records read and
 * written, shuffle records, and peak JVM heap from the executor metrics. Registered once per SparkContext.
 */
public final class StageMetrics extends SparkListener {

  /** Totals for one stage. Fields are updated from the listener thread and read after the stage ends. */
  public static final class Totals {
    public long jobs;
    public long jobMillis;
    public long taskMillis;
    /** CPU time of the tasks: unlike task wall time, not inflated when other processes share the cores. */
    public long cpuMillis;
    public long tasks;
    public long shuffleRead;
    public long shuffleWrite;
    public long spilled;
    public long recordsRead;
    public long recordsWritten;
    public long shuffleRecordsRead;
    public long shuffleRecordsWritten;
    /** Largest JVM heap in use that the executor metrics poller saw while a task of the stage ran. */
    public long peakHeap;
  }

  private volatile long peakHeapAny;

  private final Map<Integer, String> groupOfJob = new ConcurrentHashMap<>();
  private final Map<Integer, Long> jobStart = new ConcurrentHashMap<>();
  private final Map<Integer, String> groupOfStage = new ConcurrentHashMap<>();
  private final Map<String, Totals> totals = new ConcurrentHashMap<>();

  @Override
  public void onJobStart(SparkListenerJobStart e) {
    String group = e.properties() == null ? null : e.properties().getProperty("spark.jobGroup.id");
    String g = group == null ? "(none)" : group;
    groupOfJob.put(e.jobId(), g);
    jobStart.put(e.jobId(), e.time());
    scala.jdk.javaapi.CollectionConverters.asJava(e.stageIds()).forEach(s -> groupOfStage.put((Integer) s, g));
  }

  @Override
  public void onJobEnd(SparkListenerJobEnd e) {
    String g = groupOfJob.remove(e.jobId());
    Long start = jobStart.remove(e.jobId());
    if (g != null && start != null) {
      Totals t = totals.computeIfAbsent(g, k -> new Totals());
      synchronized (t) {
        t.jobs++;
        t.jobMillis += e.time() - start;
      }
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd e) {
    TaskMetrics m = e.taskMetrics();
    if (m == null) {
      return;
    }
    String g = groupOfStage.getOrDefault(e.stageId(), "(none)");
    Totals t = totals.computeIfAbsent(g, k -> new Totals());
    synchronized (t) {
      t.tasks++;
      t.taskMillis += m.executorRunTime();
      t.cpuMillis += m.executorCpuTime() / 1_000_000;
      t.shuffleRead += m.shuffleReadMetrics().totalBytesRead();
      t.shuffleWrite += m.shuffleWriteMetrics().bytesWritten();
      t.spilled += m.memoryBytesSpilled() + m.diskBytesSpilled();
      t.recordsRead += m.inputMetrics().recordsRead();
      t.recordsWritten += m.outputMetrics().recordsWritten();
      t.shuffleRecordsRead += m.shuffleReadMetrics().recordsRead();
      t.shuffleRecordsWritten += m.shuffleWriteMetrics().recordsWritten();
      if (e.taskExecutorMetrics() != null) {
        long heap = e.taskExecutorMetrics().getMetricValue("JVMHeapMemory");
        t.peakHeap = Math.max(t.peakHeap, heap);
        notePeak(heap);
      }
    }
  }

  /** Heartbeats carry the executors' (and, in local mode, the driver's) peak metrics between tasks too. */
  @Override
  public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate e) {
    scala.jdk.javaapi.CollectionConverters.asJava(e.executorUpdates()).values()
        .forEach(m -> notePeak(m.getMetricValue("JVMHeapMemory")));
  }

  private synchronized void notePeak(long heap) {
    peakHeapAny = Math.max(peakHeapAny, heap);
  }

  /** The largest JVM heap in use that Spark's executor metrics reported since the last reset. */
  public long peakHeap() {
    return peakHeapAny;
  }

  public synchronized void resetPeakHeap() {
    peakHeapAny = 0;
  }

  /** Totals of a job group, or an empty Totals if it ran no Spark job. */
  public Totals of(String group) {
    return totals.getOrDefault(group, new Totals());
  }
}
