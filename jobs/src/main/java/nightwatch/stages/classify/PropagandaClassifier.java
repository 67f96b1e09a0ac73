package nightwatch.stages.classify;

import static org.apache.spark.sql.functions.*;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import nightwatch.config.NightwatchConfig;
import nightwatch.stages.text.TextNormalizer;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.feature.HashingTF;
import org.apache.spark.ml.feature.IDF;
import org.apache.spark.ml.feature.NGram;
import org.apache.spark.ml.feature.RegexTokenizer;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.StopWordsRemover;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;

/**
 * The propaganda classifier as one MLlib {@link Pipeline} from raw {@code text} to a probability:
 * normalisation shared with clustering ({@link TextNormalizer}, as the SQL function {@value #NORMALIZE_FN}),
 * tokens without English, French and Arabic stop words, word bigrams, character n-grams, hashing TF with
 * IDF, and logistic regression. The whole pipeline is saved and loaded as one {@link PipelineModel}; only the
 * SQL function must be registered in the session first ({@link #registerFunctions}).
 */
public final class PropagandaClassifier {
  private PropagandaClassifier() {}

  /** SQL name of TextNormalizer.normalize inside the saved pipeline. */
  public static final String NORMALIZE_FN = "nightwatch_normalize";
  /** Output column of {@link #score}: probability that the text is propaganda. */
  public static final String SCORE = "model_p";
  public static final String LABEL = "label";
  public static final String WEIGHT = "weight";

  /** Registers the normaliser as a SQL function; needed before fitting, loading or applying a model. */
  public static void registerFunctions(SparkSession spark) {
    spark.udf().register(NORMALIZE_FN, (UDF1<String, String>) TextNormalizer::normalize, DataTypes.StringType);
  }

  /** The untrained pipeline; reads {@code text}, and at fit time {@code label} and {@code weight}. */
  public static Pipeline pipeline(NightwatchConfig.Classifier p) {
    return pipeline(p.numFeatures(), p.charNgrams(), p.binaryTf(), p.maxIter(), p.regParams().get(0));
  }

  /** The same pipeline with its own feature space and regularisation (the stance model uses it: StanceModel). */
  public static Pipeline pipeline(int numFeatures, List<Integer> charNgrams, boolean binaryTf, int maxIter,
                                  double regParam) {
    // Character n-grams of each size are marked '#<size>', so "news" the word and "news" the 4-gram hash apart.
    List<String> perSize = new ArrayList<>();
    for (int k : charNgrams) {
      perSize.add(", transform(sequence(1, greatest(length(_norm) - " + (k - 1) + ", 1)), "
          + "i -> concat('#" + k + "', substring(_norm, i, " + k + ")))");
    }
    String charGrams = String.join("", perSize);
    PipelineStage[] stages = {
        new SQLTransformer().setStatement("SELECT *, coalesce(" + NORMALIZE_FN + "(text), '') AS _norm FROM __THIS__"),
        new RegexTokenizer().setInputCol("_norm").setOutputCol("_tokens").setPattern("\\s+").setGaps(true)
            .setToLowercase(false).setMinTokenLength(1),
        new StopWordsRemover().setInputCol("_tokens").setOutputCol("_words").setStopWords(stopWords())
            .setCaseSensitive(true),
        new NGram().setN(2).setInputCol("_words").setOutputCol("_bigrams"),
        new SQLTransformer().setStatement("SELECT *, concat(_words, _bigrams" + charGrams + ") AS _terms FROM __THIS__"),
        // Binary: a short text repeating a word or n-gram is no more propaganda for it.
        new HashingTF().setInputCol("_terms").setOutputCol("_tf").setNumFeatures(numFeatures)
            .setBinary(binaryTf),
        new IDF().setInputCol("_tf").setOutputCol("_features").setMinDocFreq(2),
        new LogisticRegression().setFeaturesCol("_features").setLabelCol(LABEL).setWeightCol(WEIGHT)
            .setRawPredictionCol("_raw").setProbabilityCol("_prob").setPredictionCol("_pred")
            .setMaxIter(maxIter).setRegParam(regParam).setElasticNetParam(0.0)
    };
    return new Pipeline().setStages(stages);
  }

  /** The logistic regression stage of a pipeline built by {@link #pipeline}. */
  public static LogisticRegression regression(Pipeline pipeline) {
    PipelineStage[] s = pipeline.getStages();
    return (LogisticRegression) s[s.length - 1];
  }

  /** Input rows with {@code text}; output: the same columns plus {@value #SCORE} (0..1). */
  public static Dataset<Row> score(PipelineModel model, Dataset<Row> rows) {
    List<Column> keep = new ArrayList<>();
    for (String c : rows.columns()) {
      keep.add(col(c));
    }
    keep.add(org.apache.spark.ml.functions.vector_to_array(col("_prob"), "float64").getItem(1).as(SCORE));
    return model.transform(rows).select(keep.toArray(new Column[0]));
  }

  /** English and French (MLlib's lists) and Arabic (resource), folded like the texts they filter. */
  static String[] stopWords() {
    Set<String> raw = new LinkedHashSet<>();
    raw.addAll(List.of(StopWordsRemover.loadDefaultStopWords("english")));
    raw.addAll(List.of(StopWordsRemover.loadDefaultStopWords("french")));
    raw.addAll(arabic());
    Set<String> out = new LinkedHashSet<>();
    for (String w : raw) {
      String n = TextNormalizer.normalize(w);
      // Words that normalise to two tokens (e.g. "aujourd'hui") cannot match a single token: skip them.
      if (n != null && !n.isEmpty() && !n.contains(" ")) {
        out.add(n);
      }
    }
    return out.toArray(new String[0]);
  }

  private static List<String> arabic() {
    List<String> words = new ArrayList<>();
    try (InputStream in = PropagandaClassifier.class.getClassLoader().getResourceAsStream("stopwords/arabic.txt")) {
      if (in == null) {
        throw new IllegalStateException("missing resource stopwords/arabic.txt");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = r.readLine()) != null; ) {
        String w = line.strip();
        if (!w.isEmpty() && !w.startsWith("#")) {
          words.add(w);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return words;
  }
}
