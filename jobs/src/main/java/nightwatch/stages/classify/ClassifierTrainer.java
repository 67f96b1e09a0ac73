package nightwatch.stages.classify;

import static org.apache.spark.sql.functions.*;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import nightwatch.config.NightwatchConfig;
import nightwatch.stages.text.Scripts;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the propaganda classifier on labelled texts with an honest split:
 * <ul>
 *   <li>by account, never by row: each account's texts all fall in train, validation or test;</li>
 *   <li>a validation or test text whose group (exact-duplicate or cluster id) also occurs in training is
 *       dropped, so copies of training texts never score the model;</li>
 *   <li>regularisation is tuned by cross-validation on the training accounts only, with folds by account;</li>
 *   <li>the threshold is chosen on the validation accounts for the target precision, and the metrics are
 *       measured on the test accounts, which neither step has seen.</li>
 * </ul>
 * Input columns: {@code text}, {@code account_id}, {@code label} (0/1), {@code group_id} (long), and
 * optionally {@code forced_split} (e.g. "train" for known_propaganda items, which belong to no account) and
 * {@value #HARD_NEGATIVE} (see {@link Weights}).
 */
public final class ClassifierTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(ClassifierTrainer.class);

  private ClassifierTrainer() {}

  /** Optional boolean input column: a negative that reviewers looked at (dismissed, counter-speech). */
  public static final String HARD_NEGATIVE = "hard_negative";

  /**
   * Instance weights: the two classes weigh the same in total (campaigns are rare next to ordinary traffic),
   * and within the negatives the hard ones carry {@code hardShare} of the weight, since the few texts that
   * look like propaganda but are not teach the boundary that matters. Without hard negatives all negatives
   * weigh the same.
   */
  public record Weights(double positive, double hardNegative, double negative) {
    public static Weights of(long nPos, long nNeg, long nHard, double hardShare) {
      double total = nPos + nNeg;
      double pos = total / (2.0 * nPos);
      if (nHard == 0 || nHard == nNeg) {
        return new Weights(pos, total / (2.0 * nNeg), total / (2.0 * nNeg));
      }
      return new Weights(pos, hardShare * total / (2.0 * nHard), (1 - hardShare) * total / (2.0 * (nNeg - nHard)));
    }
  }

  /**
   * @param negativesByScript negative training texts per writing system ({@link Scripts}): where the model has
   *                          seen little ordinary speech, a high score says little (see ModelSignals)
   */
  public record Result(PipelineModel model, double threshold, double regParam, long trainRows, long trainAccounts,
                       long validationRows, long testRows, BinaryMetrics validation, BinaryMetrics test,
                       Dataset<Row> testScored, Map<String, Long> negativesByScript) {
    public Double testPrecision() {
      return test.precisionAt(threshold);
    }

    public Double testRecall() {
      return test.recallAt(threshold);
    }
  }

  /**
   * Adds {@code split} (train, validation, test) by account and drops held-out rows whose group occurs in
   * training. The account hash is salted with {@code seed}, so another seed gives another split.
   */
  public static Dataset<Row> split(Dataset<Row> labelled, double holdoutShare, long seed) {
    Column u = pmod(xxhash64(col("account_id"), lit(seed)), lit(1_000_000L)).divide(1_000_000.0);
    Column bySplit = when(u.lt(holdoutShare), lit("test"))
        .when(u.lt(2 * holdoutShare), lit("validation"))
        .otherwise(lit("train"));
    Column split = List.of(labelled.columns()).contains("forced_split")
        ? coalesce(col("forced_split"), bySplit) : bySplit;
    Dataset<Row> s = labelled.withColumn("split", split);
    Dataset<Row> trainGroups = s.filter(col("split").equalTo("train")).select("group_id").distinct();
    Dataset<Row> train = s.filter(col("split").equalTo("train"));
    Dataset<Row> held = s.filter(col("split").notEqual("train")).join(trainGroups, new String[] {"group_id"}, "left_anti");
    return train.unionByName(held);
  }

  /**
   * Fits on the rows of {@link #split}. With one value in {@code reg-params} cross-validation is skipped.
   */
  public static Result fit(Dataset<Row> splitRows, NightwatchConfig.Classifier p, double targetPrecision) {
    Dataset<Row> train = splitRows.filter(col("split").equalTo("train"));
    Column hard = List.of(splitRows.columns()).contains(HARD_NEGATIVE)
        ? col("label").lt(0.5).and(coalesce(col(HARD_NEGATIVE), lit(false))) : lit(false);
    Row counts = train.agg(sum(when(col("label").geq(0.5), 1L).otherwise(0L)),
        sum(when(col("label").lt(0.5), 1L).otherwise(0L)), countDistinct(col("account_id")),
        sum(when(hard, 1L).otherwise(0L))).first();
    long nPos = counts.isNullAt(0) ? 0 : counts.getLong(0);
    long nNeg = counts.isNullAt(1) ? 0 : counts.getLong(1);
    long nHard = counts.isNullAt(3) ? 0 : counts.getLong(3);
    if (nPos == 0 || nNeg == 0) {
      throw new IllegalArgumentException("cannot train: the training split has " + nPos + " positive and " + nNeg
          + " negative texts (both classes are needed)");
    }
    Weights w = Weights.of(nPos, nNeg, nHard, p.hardNegativeShare());
    LOG.info("training weights: {} positive {}, {} hard negative {}, {} other negative {}", nPos, w.positive(), nHard,
        w.hardNegative(), nNeg - nHard, w.negative());
    Dataset<Row> weighted = train
        .withColumn(PropagandaClassifier.WEIGHT, when(col("label").geq(0.5), lit(w.positive()))
            .when(hard, lit(w.hardNegative())).otherwise(lit(w.negative())))
        .withColumn("fold", pmod(xxhash64(col("account_id"), lit(7L)), lit((long) p.folds())).cast("int"))
        .select("text", "label", PropagandaClassifier.WEIGHT, "fold", "account_id")
        // One partition per core: every L-BFGS iteration sums one dense gradient per partition.
        .repartition(train.sparkSession().sparkContext().defaultParallelism())
        .cache();
    try {
      Pipeline pipeline = PropagandaClassifier.pipeline(p);
      LogisticRegression lr = PropagandaClassifier.regression(pipeline);
      PipelineModel model;
      double reg;
      if (p.regParams().size() == 1) {
        model = pipeline.fit(weighted);
        reg = p.regParams().get(0);
      } else {
        double[] grid = p.regParams().stream().mapToDouble(Double::doubleValue).toArray();
        ParamMap[] maps = new ParamGridBuilder().addGrid(lr.regParam(), grid).build();
        // Scored with the training weights, so the regularisation is chosen for the boundary the weights ask for.
        CrossValidator cv = new CrossValidator().setEstimator(pipeline).setEstimatorParamMaps(maps)
            .setEvaluator(new BinaryClassificationEvaluator().setLabelCol("label").setRawPredictionCol("_raw")
                .setMetricName("areaUnderROC").setWeightCol(PropagandaClassifier.WEIGHT))
            .setNumFolds(p.folds()).setFoldCol("fold");
        CrossValidatorModel cvm = cv.fit(weighted);
        model = (PipelineModel) cvm.bestModel();
        reg = ((LogisticRegressionModel) model.stages()[model.stages().length - 1]).getRegParam();
        double[] m = cvm.avgMetrics();
        for (int i = 0; i < grid.length; i++) {
          LOG.info("cross-validation: regParam {} -> mean AUC {}", grid[i], m[i]);
        }
      }
      Dataset<Row> validation = splitRows.filter(col("split").equalTo("validation"));
      Dataset<Row> test = splitRows.filter(col("split").equalTo("test"));
      BinaryMetrics vm = BinaryMetrics.of(PropagandaClassifier.score(model, validation), PropagandaClassifier.SCORE);
      double threshold = vm.positives() > 0 && vm.negatives() > 0 ? vm.thresholdFor(targetPrecision) : 0.5;
      Dataset<Row> testScored = PropagandaClassifier.score(model, test).cache();
      BinaryMetrics tm = BinaryMetrics.of(testScored, PropagandaClassifier.SCORE);
      LOG.info("classifier: regParam {}, threshold {} (validation {}+/{}-), test AUC {} ({}+/{}-)", reg, threshold,
          vm.positives(), vm.negatives(), tm.auc(), tm.positives(), tm.negatives());
      Map<String, Long> byScript = new TreeMap<>();
      for (Row r : weighted.filter(col("label").lt(0.5)).groupBy(Scripts.of(col("text")).as("script")).count()
          .collectAsList()) {
        byScript.put(r.getString(0), r.getLong(1));
      }
      return new Result(model, threshold, reg, nPos + nNeg, counts.getLong(2), vm.positives() + vm.negatives(),
          tm.positives() + tm.negatives(), vm, tm, testScored, byScript);
    } finally {
      weighted.unpersist();
    }
  }
}
