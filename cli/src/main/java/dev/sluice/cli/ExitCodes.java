package dev.sluice.cli;

/** sysexits(3)-style codes, as DESIGN.md fixes them. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int USAGE = 64;
    public static final int DATA_ERROR = 65;
    public static final int INTERNAL = 70;

    private ExitCodes() {
    }
}
