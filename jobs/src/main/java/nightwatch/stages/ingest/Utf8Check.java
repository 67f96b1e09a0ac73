package nightwatch.stages.ingest;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * Whether a line is well-formed UTF-8 (the Unicode standard's table of well-formed byte sequences: no overlong
 * form, no surrogate, nothing above U+10FFFF), with the result of the built-in {@code is_valid_utf8}. The built-in
 * looks at one byte at a time and also measures the repaired string, on every line read. Here ASCII runs are
 * checked eight bytes at a time, and only the other bytes one by one.
 */
public final class Utf8Check {
  private Utf8Check() {}

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;

  /** {@code is_valid_utf8(s)} for a string column (null for null). */
  public static Column isValid(Column s) {
    return VALID.apply(s.cast("binary"));
  }

  private static final UserDefinedFunction VALID = org.apache.spark.sql.functions.udf(
      (UDF1<byte[], Boolean>) b -> b == null ? null : valid(b), DataTypes.BooleanType);

  static boolean valid(byte[] b) {
    int n = b.length;
    int i = 0;
    while (i < n) {
      while (i + 8 <= n && ((long) LONGS.get(b, i) & HIGH_BITS) == 0) {
        i += 8;
      }
      if (i >= n) {
        return true;
      }
      int c = b[i] & 0xFF;
      if (c < 0x80) {
        i++;
      } else if (c < 0xC2) {
        return false; // a continuation byte, or an overlong two-byte form
      } else if (c < 0xE0) {
        if (i + 1 >= n || !continuation(b[i + 1])) {
          return false;
        }
        i += 2;
      } else if (c < 0xF0) {
        if (i + 2 >= n || !continuation(b[i + 1]) || !continuation(b[i + 2])) {
          return false;
        }
        int c1 = b[i + 1] & 0xFF;
        if (c == 0xE0 && c1 < 0xA0 || c == 0xED && c1 > 0x9F) {
          return false; // overlong, or a surrogate
        }
        i += 3;
      } else if (c < 0xF5) {
        if (i + 3 >= n || !continuation(b[i + 1]) || !continuation(b[i + 2]) || !continuation(b[i + 3])) {
          return false;
        }
        int c1 = b[i + 1] & 0xFF;
        if (c == 0xF0 && c1 < 0x90 || c == 0xF4 && c1 > 0x8F) {
          return false; // overlong, or above U+10FFFF
        }
        i += 4;
      } else {
        return false;
      }
    }
    return true;
  }

  private static boolean continuation(byte x) {
    return (x & 0xC0) == 0x80;
  }
}
