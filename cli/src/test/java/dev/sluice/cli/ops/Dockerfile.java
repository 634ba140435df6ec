package dev.sluice.cli.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The instructions of a Dockerfile, read well enough to check deploy/Dockerfile: comments dropped,
 * backslash continuations joined, JSON (exec form) arguments parsed. No Docker engine runs here.
 */
record Dockerfile(List<Instruction> instructions) {

    record Instruction(String keyword, String arguments) {
        /** The exec form {@code ["a", "b"]} as a list. */
        List<String> execForm() {
            try {
                return Arrays.asList(new ObjectMapper().readValue(arguments, String[].class));
            } catch (IOException e) {
                throw new AssertionError(keyword + " is not in exec (JSON array) form: " + arguments, e);
            }
        }
    }

    static Dockerfile read(Path file) throws IOException {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(file)) {
            String trimmed = line.strip();
            if (current.length() == 0 && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            String text = current.toString().strip();
            current.setLength(0);
            int space = text.indexOf(' ');
            instructions.add(new Instruction(text.substring(0, space).toUpperCase(), text.substring(space + 1).strip()));
        }
        return new Dockerfile(List.copyOf(instructions));
    }

    List<Instruction> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** The last one counts for ENTRYPOINT, USER, HEALTHCHECK; for FROM it is the runtime stage. */
    Instruction last(String keyword) {
        List<Instruction> found = all(keyword);
        if (found.isEmpty()) {
            throw new AssertionError("the Dockerfile has no " + keyword);
        }
        return found.get(found.size() - 1);
    }

    /** The instructions of the final stage (after the last FROM): what the image is. */
    Dockerfile finalStage() {
        int from = instructions.lastIndexOf(last("FROM"));
        return new Dockerfile(instructions.subList(from, instructions.size()));
    }

    /** The JSON array at the end of {@code HEALTHCHECK [options] CMD [...]}. */
    List<String> healthcheckCommand() {
        String args = last("HEALTHCHECK").arguments();
        int cmd = args.indexOf("CMD ");
        if (cmd < 0) {
            throw new AssertionError("HEALTHCHECK has no CMD: " + args);
        }
        return new Instruction("CMD", args.substring(cmd + 4).strip()).execForm();
    }
}
