package nightwatch.io;

/** A required input of the day is missing, empty or unreadable; the job stops with exit code 3. */
public final class MissingInputException extends RuntimeException {
  public MissingInputException(String message) {
    super(message);
  }

  public MissingInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
