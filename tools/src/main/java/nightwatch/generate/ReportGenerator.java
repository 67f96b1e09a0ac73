package nightwatch.generate;

import static nightwatch.generate.World.RSEG_ACTREP;
import static nightwatch.generate.World.RSEG_BRIG;
import static nightwatch.generate.World.RSEG_FLAG;
import static nightwatch.generate.World.RSEG_NOISE;
import static nightwatch.generate.World.SEG_ACT;
import static nightwatch.generate.World.SEG_BG;
import static nightwatch.generate.World.SEG_CS;
import static nightwatch.generate.World.TAG_ACT;
import static nightwatch.generate.World.TAG_FLAG;
import static nightwatch.generate.World.TAG_ORD;
import static nightwatch.generate.World.code;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * The reports of a day: row r's reporter, reported account and message, reason and time, a pure function of
 * (seed, ds, r). Brigades against activists, trusted flaggers, activist reporters (with some false claims),
 * noise and genuine reports of propaganda; reports regenerate the message they point at.
 */
final class ReportGenerator implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One report: ids, reason, time, and the internal codes of reporter and reported account. */
  static final class Report {
    String id;
    long reporter;
    long reported;
    String messageId;
    String reason;
    long sec;
  }

  final World w;
  private final MessageGenerator messages; // the reported messages

  ReportGenerator(World w) {
    this.w = w;
    this.messages = new MessageGenerator(w);
  }

  private static final String[] GENUINE_REASONS = {"terrorism", "terrorism", "violent_extremism",
      "hateful_conduct", "terrorism"};
  private static final String[] NOISE_REASONS = {"spam", "harassment", "other", "spam", "impersonation",
      "terrorism"};

  Report report(long r) {
    int s = World.segmentOf(w.rseg, 5, r);
    long local = r - w.rseg[s];
    SplittableRandom rng = H.rng(w.seedDay, r, 0x4E7);
    Report rep = new Report();
    rep.id = w.reportId(r);
    switch (s) {
      case RSEG_BRIG -> brigade(rep, local, rng);
      case RSEG_FLAG -> {
        rep.reporter = code(TAG_FLAG, rng.nextInt(w.nFlag));
        propagandaTarget(rep, r, rng, "terrorist_content");
      }
      case RSEG_ACTREP -> activistReport(rep, r, rng);
      case RSEG_NOISE -> {
        rep.reporter = w.zipfOrdinary(rng);
        MessageGenerator.Msg m = messages.describe(w.seg[SEG_BG] + rng.nextLong(w.seg[SEG_BG + 1] - w.seg[SEG_BG]));
        rep.reported = m.acct;
        rep.messageId = rng.nextInt(4) == 0 ? null : m.id;
        rep.reason = NOISE_REASONS[rng.nextInt(NOISE_REASONS.length)];
        rep.sec = w.clampSec(m.sec + 60 + rng.nextInt(6 * 3600));
      }
      default -> {
        rep.reporter = code(TAG_ORD, (long) (w.population * rng.nextDouble()));
        propagandaTarget(rep, r, rng, GENUINE_REASONS[rng.nextInt(GENUINE_REASONS.length)]);
      }
    }
    return rep;
  }

  /** Report k of brigade t: a fresh account reports the targeted activist within the brigade's half hour. */
  private void brigade(Report rep, long local, SplittableRandom rng) {
    int t = World.bucket(w.brigadeStart, local);
    int k = (int) (local - w.brigadeStart[t]);
    int a = w.brigadeTargets[t];
    rep.reporter = World.brigaderCode(w.day, t, k);
    rep.reported = code(TAG_ACT, a);
    rep.messageId = rng.nextInt(3) == 0 ? null : w.messageId(w.seg[SEG_ACT] + a * 4L + rng.nextInt(4));
    rep.reason = rng.nextInt(3) == 0 ? "harassment" : "terrorism";
    rep.sec = w.dayStart + w.brigadeWindow[t] + rng.nextInt(1800);
  }

  /** Activist reporters report propaganda, and now and then counter-speech by mistake. */
  private void activistReport(Report rep, long r, SplittableRandom rng) {
    int nRep = (w.nAct + 2) / 3;
    rep.reporter = code(TAG_ACT, 3L * rng.nextInt(nRep));
    if (rng.nextInt(100) < 15) { // a false claim against counter-speech
      MessageGenerator.Msg m = messages.describe(w.seg[SEG_CS] + rng.nextLong(w.seg[SEG_CS + 1] - w.seg[SEG_CS]));
      rep.reported = m.acct;
      rep.messageId = m.id;
      rep.reason = "terrorism";
      rep.sec = w.clampSec(m.sec + 120 + rng.nextInt(3600));
    } else {
      propagandaTarget(rep, r, rng, "terrorism");
    }
  }

  private void propagandaTarget(Report rep, long r, SplittableRandom rng, String reason) {
    MessageGenerator.Msg m = messages.describe(w.randomPropRow(r * 31 + 7));
    rep.reported = m.acct;
    rep.messageId = rng.nextInt(5) == 0 ? null : m.id;
    rep.reason = reason;
    rep.sec = w.clampSec(m.sec + 60 + rng.nextInt(8 * 3600));
  }
}
