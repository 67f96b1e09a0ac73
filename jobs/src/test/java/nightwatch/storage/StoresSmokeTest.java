package nightwatch.storage;

import static nightwatch.Rows.df;
import static nightwatch.Rows.r;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import nightwatch.SparkTest;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.delta.storage.DelegatingLogStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Delta tables and plain files on the real HDFS and S3 servers of {@link TestStores}. */
class StoresSmokeTest extends SparkTest {
  private static final String DDL = "id INT, name STRING";

  @BeforeAll
  static void stores() {
    TestStores.configure(spark);
  }

  @Test
  void deltaAndFilesOnHdfs() throws IOException {
    roundTrip(TestStores.hdfsUri() + "/smoke-" + UUID.randomUUID());
  }

  @Test
  void deltaAndFilesOnS3() throws IOException {
    String root = TestStores.s3Uri() + "/smoke-" + UUID.randomUUID();
    roundTrip(root);
    // Delta picks its log store by scheme: s3a gets the single-driver S3 store (S3 has no atomic rename).
    assertEquals("io.delta.storage.S3SingleDriverLogStore",
        DelegatingLogStore.getDefaultLogStoreClassName("s3a").get());
  }

  private void roundTrip(String root) throws IOException {
    String table = root + "/people";
    df(spark, DDL, r(1, "ann"), r(2, "bob"), r(3, "cy")).write().format("delta").save(table);
    df(spark, DDL, r(4, "dee"), r(5, "eve")).write().format("delta").mode("append").save(table);
    assertEquals(List.of("1:ann", "2:bob", "3:cy", "4:dee", "5:eve"), rows(spark.read().format("delta").load(table)));

    DeltaTable.forPath(spark, table).as("t")
        .merge(df(spark, DDL, r(2, "BOB"), r(6, "fay")).as("u"), "t.id = u.id")
        .whenMatched().updateAll()
        .whenNotMatched().insertAll()
        .execute();
    assertEquals(List.of("1:ann", "2:BOB", "3:cy", "4:dee", "5:eve", "6:fay"),
        rows(spark.read().format("delta").load(table)));
    assertEquals(List.of(2L, 1L, 0L), DeltaTable.forPath(spark, table).history().select("version")
        .as(org.apache.spark.sql.Encoders.LONG()).collectAsList());

    Configuration conf = spark.sessionState().newHadoopConf();
    FileSystem fs = FileSystem.get(URI.create(root), conf);
    assertTrue(fs.exists(new Path(table + "/_delta_log/00000000000000000002.json")));

    Path a = new Path(root + "/plain/a.txt");
    Path b = new Path(root + "/plain/b.txt");
    byte[] text = "nightwatch\nsmoke\n".getBytes(StandardCharsets.UTF_8);
    try (OutputStream out = fs.create(a, false)) {
      out.write(text);
    }
    assertArrayEquals(text, read(fs, a));
    assertTrue(fs.rename(a, b));
    assertFalse(fs.exists(a));
    assertArrayEquals(text, read(fs, b));
    assertEquals(text.length, fs.getFileStatus(b).getLen());
    // An upload: s3a sends it through the SDK's transfer manager and async (Netty) client, on Spark's Netty 4.2.
    java.nio.file.Path local = Files.createTempFile("smoke", ".txt");
    Files.write(local, text);
    fs.copyFromLocalFile(true, new Path(local.toUri()), new Path(root + "/plain/c.txt"));
    assertArrayEquals(text, read(fs, new Path(root + "/plain/c.txt")));
    assertEquals(List.of("b.txt", "c.txt"), Stream.of(fs.listStatus(new Path(root + "/plain")))
        .map(s -> s.getPath().getName()).sorted().collect(Collectors.toList()));
    assertTrue(fs.delete(new Path(root), true));
    assertFalse(fs.exists(b));
  }

  private static byte[] read(FileSystem fs, Path p) throws IOException {
    try (InputStream in = fs.open(p)) {
      return in.readAllBytes();
    }
  }

  private static List<String> rows(Dataset<Row> d) {
    return d.orderBy("id").collectAsList().stream()
        .map(row -> row.getInt(0) + ":" + row.getString(1)).collect(Collectors.toList());
  }
}
