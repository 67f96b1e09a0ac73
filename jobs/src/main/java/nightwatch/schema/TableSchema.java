package nightwatch.schema;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A table's schema as written once in {@code schemas/}: the code builds Spark schemas and creates Delta
 * tables from these files, so nothing else repeats column lists.
 */
public record TableSchema(String table, String kind, String description, List<String> partitionedBy,
                          List<String> key, List<String> zorderBy, Map<String, String> properties,
                          StructType struct) {

  /** Loads {@code schemas/<path>.json} from the classpath, e.g. "clusters" or "input/messages". */
  public static TableSchema load(String path) {
    String resource = "schemas/" + path + ".json";
    if (TableSchema.class.getClassLoader().getResource(resource) == null) {
      throw new IllegalArgumentException("no schema file " + resource);
    }
    Config c = ConfigFactory.parseResources(resource);
    List<StructField> fields = new ArrayList<>();
    for (Config col : c.getConfigList("columns")) {
      Metadata meta = new MetadataBuilder().putString("comment", col.getString("comment")).build();
      fields.add(new StructField(col.getString("name"), DataType.fromDDL(col.getString("type")),
          col.getBoolean("nullable"), meta));
    }
    return new TableSchema(c.getString("table"), c.getString("kind"), c.getString("description"),
        c.getStringList("partitioned_by"), c.hasPath("key") ? c.getStringList("key") : List.of(),
        c.hasPath("zorder_by") ? c.getStringList("zorder_by") : List.of(), properties(c), new StructType(fields.toArray(new StructField[0])));
  }

  /** Delta table properties the table is created with and kept at (e.g. its change data feed). */
  private static Map<String, String> properties(Config c) {
    Map<String, String> out = new TreeMap<>();
    if (c.hasPath("properties")) {
      c.getObject("properties").unwrapped().forEach((k, v) -> out.put(k, String.valueOf(v)));
    }
    return Map.copyOf(out);
  }

  /** The same columns with every field nullable, for reading input leniently before validation. */
  public StructType lenient() {
    StructField[] fs = struct.fields().clone();
    for (int i = 0; i < fs.length; i++) {
      fs[i] = new StructField(fs[i].name(), fs[i].dataType(), true, fs[i].metadata());
    }
    return new StructType(fs);
  }

  public String[] columnNames() {
    return struct.fieldNames();
  }
}
