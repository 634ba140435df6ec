package dev.sluice.cli;

/** Placeholder entry point; replaced by the picocli command tree. */
public final class SluiceMain {
    public static void main(String[] args) {
        System.out.println("sluice");
    }
}
