package dev.sluice.cli.fuzz;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Input number {@code i} of a campaign, the same whatever thread makes it: two in three are token
 * mutants of a corpus script ({@link SqlMutator}); the others keep a corpus script's first
 * statements (its DDL, so names resolve) and add statements generated from the grammar
 * ({@link GrammarGenerator}) over the script's identifiers, sometimes mutated again.
 * Not thread-safe: one per worker thread.
 */
final class FuzzInputs {
    private final List<String> corpus;
    private final List<List<String>> tokens;
    private final List<List<String>> identifiers;
    private final SqlMutator mutator;
    private final GrammarGenerator grammar = new GrammarGenerator();
    private final long seed;

    FuzzInputs(List<String> corpus, List<List<String>> tokens, SqlMutator mutator, long seed) {
        this.corpus = corpus;
        this.tokens = tokens;
        this.mutator = mutator;
        this.seed = seed;
        this.identifiers = tokens.stream().map(FuzzInputs::identifiers).toList();
    }

    /** The tokens of every corpus script, computed once and shared by the workers (read only). */
    static List<List<String>> tokenize(List<String> corpus) {
        return corpus.stream().map(s -> List.copyOf(SqlMutator.tokens(s))).toList();
    }

    String input(long index) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
        int base = random.nextInt(corpus.size());
        if (random.nextInt(3) != 0) {
            return mutator.mutate(tokens.get(base), tokens.get(random.nextInt(corpus.size())), random);
        }
        List<String> kept = prefixStatements(tokens.get(base), random);
        StringBuilder sql = new StringBuilder(String.join("", kept));
        int statements = 1 + random.nextInt(2);
        for (int s = 0; s < statements; s++) {
            sql.append(";\n").append(grammar.statement(identifiers.get(base), random, 8 + random.nextInt(60)));
        }
        sql.append(";\n");
        String generated = sql.toString();
        return random.nextInt(4) == 0 ? mutator.mutate(SqlMutator.tokens(generated), tokens.get(base), random)
                : generated;
    }

    /** The script's tokens up to a random statement boundary (possibly none, possibly all). */
    private static List<String> prefixStatements(List<String> script, SplittableRandom random) {
        List<Integer> ends = new ArrayList<>();
        for (int i = 0; i < script.size(); i++) {
            if (script.get(i).equals(";")) {
                ends.add(i);
            }
        }
        if (ends.isEmpty()) {
            return random.nextBoolean() ? script : List.of();
        }
        int cut = ends.get(random.nextInt(ends.size()));
        return script.subList(0, cut);
    }

    /** Words of the script that can be names: identifiers and keywords used as names alike. */
    private static List<String> identifiers(List<String> script) {
        Set<String> out = new LinkedHashSet<>();
        for (String t : script) {
            if (!t.isEmpty() && (Character.isLetter(t.charAt(0)) || t.charAt(0) == '_')
                    && t.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_')) {
                out.add(t);
            }
        }
        return List.copyOf(out);
    }
}
