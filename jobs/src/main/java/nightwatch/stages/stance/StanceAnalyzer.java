package nightwatch.stages.stance;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ar.ArabicNormalizationFilter;
import org.apache.lucene.analysis.ar.ArabicStemFilter;
import org.apache.lucene.analysis.core.DecimalDigitFilter;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.util.ElisionFilter;
import org.tartarus.snowball.ext.FrenchStemmer;

/**
 * Whether a text condemns or exposes what it talks about: the text is analysed once per language with Lucene's
 * light stemmers (English Porter, French elision and Snowball stemming, Arabic normalisation and prefix and suffix
 * stripping), and matches when the stems of a seed term of that language occur in it, in order and adjacent.
 * The language field of a message is not trusted: every language's analysis runs, each on the whole text.
 */
public final class StanceAnalyzer implements Serializable {
  private static final long serialVersionUID = 1L;

  private transient Map<String, Analyzer> analyzers;
  private transient Map<String, List<List<String>>> seeds;

  /** The stems of {@code text} under the analysis of {@code lang} (en, fr, ar). */
  public List<String> stems(String lang, String text) {
    List<String> out = new ArrayList<>();
    try (TokenStream ts = analyzers().get(lang).tokenStream("t", text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        out.add(term.toString());
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Whether any seed term of any language occurs in {@code text}; false for null or blank text. */
  public boolean condemns(String text) {
    if (text == null || text.isBlank()) {
      return false;
    }
    for (Map.Entry<String, List<List<String>>> e : seeds().entrySet()) {
      List<String> stems = stems(e.getKey(), text);
      for (List<String> seed : e.getValue()) {
        if (!seed.isEmpty() && java.util.Collections.indexOfSubList(stems, seed) >= 0) {
          return true;
        }
      }
    }
    return false;
  }

  private Map<String, List<List<String>>> seeds() {
    if (seeds == null) {
      Map<String, List<List<String>>> m = new LinkedHashMap<>();
      StanceVocabulary.TERMS.forEach((lang, terms) -> m.put(lang, terms.stream().map(t -> stems(lang, t)).toList()));
      seeds = m;
    }
    return seeds;
  }

  private Map<String, Analyzer> analyzers() {
    if (analyzers == null) {
      analyzers = Map.of("en", analyzer(StanceAnalyzer::english), "fr", analyzer(StanceAnalyzer::french),
          "ar", analyzer(StanceAnalyzer::arabic));
    }
    return analyzers;
  }

  private static TokenStream english(TokenStream in) {
    return new PorterStemFilter(new LowerCaseFilter(new EnglishPossessiveFilter(in)));
  }

  private static TokenStream french(TokenStream in) {
    // Snowball rather than the light stemmer: verbs too ("dénonçons" and "dénonce" share a stem).
    TokenStream t = new LowerCaseFilter(new ElisionFilter(in, FrenchAnalyzer.DEFAULT_ARTICLES));
    return new ASCIIFoldingFilter(new SnowballFilter(new ASCIIFoldingFilter(t), new FrenchStemmer()));
  }

  private static TokenStream arabic(TokenStream in) {
    return new ArabicStemFilter(new ArabicNormalizationFilter(new DecimalDigitFilter(new LowerCaseFilter(in))));
  }

  private static Analyzer analyzer(java.util.function.UnaryOperator<TokenStream> filters) {
    return new Analyzer() {
      @Override
      protected TokenStreamComponents createComponents(String field) {
        StandardTokenizer source = new StandardTokenizer();
        return new TokenStreamComponents(source, filters.apply(source));
      }
    };
  }
}
