package dev.sluice.cli.fuzz;

import dev.sluice.grammar.SluiceSqlParser;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.Vocabulary;
import org.antlr.v4.runtime.atn.ATN;
import org.antlr.v4.runtime.atn.ATNState;
import org.antlr.v4.runtime.atn.RuleStopState;
import org.antlr.v4.runtime.atn.RuleTransition;
import org.antlr.v4.runtime.atn.Transition;
import org.antlr.v4.runtime.misc.IntervalSet;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates statements from the grammar itself: a random walk over the parser's ATN (the automaton
 * ANTLR builds from {@code SluiceSql.g4}), emitting one token per token transition. Every
 * alternative, optional clause and loop of the grammar is reachable, including the ones no corpus
 * script uses. Semantic predicates (operator precedence) are ignored, so some results do not parse;
 * that is fine for a fuzzer.
 *
 * <p>Why it terminates: each ATN state knows the fewest tokens that lead from it to the end of its
 * rule (computed once, to a fixed point). Below the size budget a choice is random; above it the
 * walk takes the shortest way out, so every walk ends.
 */
public final class GrammarGenerator {
    private static final ATN ATN_ = SluiceSqlParser._ATN;
    private static final int INFINITE = Integer.MAX_VALUE / 4;
    /** Fewest tokens from each ATN state to its rule's stop state. */
    private static final int[] TO_END = shortestToEnd();
    /** Fewest tokens a whole rule can derive. */
    private static final int[] RULE_MIN = ruleMinimum();

    private static final List<String> STRINGS = List.of("'x'", "''", "'2024-01-15 10:00:00'", "'json'", "'kafka'",
            "'topic'", "'%a%'", "'yyyy-MM-dd'", "'1'", "'value.format'");
    private static final List<String> NUMBERS = List.of("0", "1", "5", "10", "60", "1000", "2147483648");
    private static final List<String> DECIMALS = List.of("0.5", "1.0", "99.99", "0.0");
    private static final List<String> DOUBLES = List.of("1E3", "1.5E-3", "1E309");

    private final Vocabulary vocabulary = SluiceSqlParser.VOCABULARY;

    /** A statement of the grammar, its identifiers drawn from {@code identifiers}. */
    public String statement(List<String> identifiers, SplittableRandom random, int budget) {
        StringBuilder out = new StringBuilder();
        int[] emitted = {0};
        walk(ATN_.ruleToStartState[SluiceSqlParser.RULE_statement], identifiers, random, budget, emitted, out, 0);
        return out.toString().trim();
    }

    private void walk(ATNState state, List<String> identifiers, SplittableRandom random, int budget, int[] emitted,
                      StringBuilder out, int depth) {
        while (!(state instanceof RuleStopState)) {
            Transition t = choose(state, random, emitted[0] >= budget || depth > 60);
            if (t instanceof RuleTransition call) {
                walk(call.target, identifiers, random, budget, emitted, out, depth + 1);
                state = call.followState;
                continue;
            }
            IntervalSet label = t.label();
            if (label != null && !t.isEpsilon()) {
                int type = label.get(random.nextInt(label.size()));
                out.append(' ').append(text(type, identifiers, random));
                emitted[0]++;
            }
            state = t.target;
        }
    }

    /** A random transition, or when {@code shortest} one on a shortest way to the rule's end. */
    private static Transition choose(ATNState state, SplittableRandom random, boolean shortest) {
        int n = state.getNumberOfTransitions();
        if (n == 1) {
            return state.transition(0);
        }
        if (!shortest) {
            return state.transition(random.nextInt(n));
        }
        Transition best = state.transition(0);
        int bestCost = INFINITE;
        for (int i = 0; i < n; i++) {
            Transition t = state.transition(i);
            int cost = cost(t);
            if (cost < bestCost) {
                best = t;
                bestCost = cost;
            }
        }
        return best;
    }

    private String text(int type, List<String> identifiers, SplittableRandom random) {
        String literal = vocabulary.getLiteralName(type);
        if (literal != null) {
            return literal.substring(1, literal.length() - 1);
        }
        return switch (type) {
            case SluiceSqlParser.STRING -> pick(STRINGS, random);
            case SluiceSqlParser.INTEGER_VALUE -> pick(NUMBERS, random);
            case SluiceSqlParser.DECIMAL_VALUE -> pick(DECIMALS, random);
            case SluiceSqlParser.DOUBLE_VALUE -> pick(DOUBLES, random);
            case SluiceSqlParser.QUOTED_IDENTIFIER -> '"' + pick(identifiers, random) + '"';
            case SluiceSqlParser.BACKQUOTED_IDENTIFIER -> '`' + pick(identifiers, random) + '`';
            case SluiceSqlParser.IDENTIFIER -> pick(identifiers, random);
            case Token.EOF -> "";
            default -> {
                String name = vocabulary.getSymbolicName(type);
                yield name == null ? "x" : name.toLowerCase(java.util.Locale.ROOT);
            }
        };
    }

    private static String pick(List<String> from, SplittableRandom random) {
        return from.isEmpty() ? "x" : from.get(random.nextInt(from.size()));
    }

    private static int cost(Transition t) {
        if (t instanceof RuleTransition call) {
            return saturatingAdd(RULE_MIN[call.target.ruleIndex], TO_END[call.followState.stateNumber]);
        }
        int own = t.isEpsilon() || t.label() == null ? 0 : 1;
        return saturatingAdd(own, TO_END[t.target.stateNumber]);
    }

    private static int saturatingAdd(int a, int b) {
        return Math.min(INFINITE, a + b);
    }

    private static int[] ruleMinimum() {
        int[] min = new int[ATN_.ruleToStartState.length];
        for (int r = 0; r < min.length; r++) {
            min[r] = TO_END[ATN_.ruleToStartState[r].stateNumber];
        }
        return min;
    }

    /** Bellman-Ford over the ATN: states and rules relax together until nothing changes. */
    private static int[] shortestToEnd() {
        int states = ATN_.states.size();
        int[] dist = new int[states];
        Arrays.fill(dist, INFINITE);
        int[] rule = new int[ATN_.ruleToStartState.length];
        Arrays.fill(rule, INFINITE);
        for (ATNState s : ATN_.states) {
            if (s instanceof RuleStopState) {
                dist[s.stateNumber] = 0;
            }
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (ATNState s : ATN_.states) {
                if (s == null || s instanceof RuleStopState) {
                    continue;
                }
                int best = dist[s.stateNumber];
                for (int i = 0; i < s.getNumberOfTransitions(); i++) {
                    Transition t = s.transition(i);
                    int cost;
                    if (t instanceof RuleTransition call) {
                        cost = Math.min(INFINITE, rule[call.target.ruleIndex] + dist[call.followState.stateNumber]);
                    } else {
                        int own = t.isEpsilon() || t.label() == null ? 0 : 1;
                        cost = Math.min(INFINITE, own + dist[t.target.stateNumber]);
                    }
                    best = Math.min(best, cost);
                }
                if (best < dist[s.stateNumber]) {
                    dist[s.stateNumber] = best;
                    changed = true;
                }
            }
            for (int r = 0; r < rule.length; r++) {
                int d = dist[ATN_.ruleToStartState[r].stateNumber];
                if (d < rule[r]) {
                    rule[r] = d;
                    changed = true;
                }
            }
        }
        return dist;
    }
}
