package nightwatch.stages.ingest;

import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import nightwatch.SparkTest;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

class Utf8CheckTest extends SparkTest {
  /** Bytes around every boundary of the well-formed table, and plain ASCII. */
  private static final int[] BYTES = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF,
      0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF};

  @Test
  void agreesWithSparksCheckOnRandomBytes() {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
    int valid = 0;
    for (int t = 0; t < 300_000; t++) {
      byte[] b = new byte[rnd.nextInt(0, 24)];
      for (int i = 0; i < b.length; i++) {
        b[i] = (byte) (rnd.nextInt(3) == 0 ? rnd.nextInt(0x20, 0x7F) : BYTES[rnd.nextInt(BYTES.length)]);
      }
      boolean expected = UTF8String.fromBytes(b).isValid();
      valid += expected ? 1 : 0;
      assertEquals(expected, Utf8Check.valid(b), java.util.HexFormat.of().formatHex(b));
    }
    assertTrue(valid > 10_000, "enough valid sequences among the random ones: " + valid);
    for (String s : List.of("", "plain ascii text of more than eight bytes", "دولة الإسلام باقية", "ü€𝄞 mixed 𝄞€ü")) {
      assertTrue(Utf8Check.valid(s.getBytes(StandardCharsets.UTF_8)), s);
    }
  }

  @Test
  void theColumnIsTheBuiltInsResult() {
    List<Row> rows = new ArrayList<>();
    rows.add(RowFactory.create((Object) "ok line".getBytes(StandardCharsets.UTF_8)));
    rows.add(RowFactory.create((Object) new byte[] {'{', '"', 'a', (byte) 0xC3, '"', '}'}));
    rows.add(RowFactory.create((Object) new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}));
    rows.add(RowFactory.create((Object) null));
    List<Row> got = spark.createDataFrame(rows, new StructType().add("b", DataTypes.BinaryType))
        .select(col("b").cast("string").as("s"))
        .select(Utf8Check.isValid(col("s")), is_valid_utf8(col("s"))).collectAsList();
    for (Row r : got) {
      assertEquals(r.get(1), r.get(0));
    }
    assertEquals(List.of(true, false, false), got.subList(0, 3).stream().map(r -> r.getBoolean(0)).toList());
    assertTrue(got.get(3).isNullAt(0), "null for null");
  }
}
