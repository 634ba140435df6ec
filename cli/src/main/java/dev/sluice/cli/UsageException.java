package dev.sluice.cli;

/** The command line is wrong (unknown input name, missing file): exit 64 with this message. */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
