package nightwatch.spark;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An iterator over the values {@link #advance} computes one at a time, for partition walks that emit as they read
 * (nothing is buffered): {@code advance} returns the next value, or null when there is none.
 */
public abstract class Lookahead<T> implements Iterator<T> {
  private T next;

  /** The next value, or null at the end. */
  protected abstract T advance();

  @Override
  public final boolean hasNext() {
    if (next == null) {
      next = advance();
    }
    return next != null;
  }

  @Override
  public final T next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    T t = next;
    next = null;
    return t;
  }
}
