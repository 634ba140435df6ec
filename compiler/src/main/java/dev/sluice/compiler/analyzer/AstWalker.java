package dev.sluice.compiler.analyzer;

import dev.sluice.grammar.ast.Query;

import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Visits AST nodes generically through record components, so searches ("does this query mention
 * ROWTIME?", "collect the aggregate calls") need no visitor method per node type.
 */
public final class AstWalker {
    private AstWalker() {
    }

    /**
     * Calls {@code visitor} on {@code node} and, where {@code descend} allows, on everything below it.
     * Never enters nested queries: their names and aggregates belong to another scope.
     */
    public static void walk(Object node, Predicate<Object> descend, Consumer<Object> visitor) {
        if (node == null) {
            return;
        }
        if (node instanceof Collection<?> list) {
            list.forEach(x -> walk(x, descend, visitor));
            return;
        }
        if (node instanceof Optional<?> opt) {
            opt.ifPresent(x -> walk(x, descend, visitor));
            return;
        }
        if (!node.getClass().isRecord()) {
            return;
        }
        visitor.accept(node);
        if (!descend.test(node)) {
            return;
        }
        for (RecordComponent rc : node.getClass().getRecordComponents()) {
            try {
                Object child = rc.getAccessor().invoke(node);
                if (child instanceof Query) {
                    continue;
                }
                walk(child, descend, visitor);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public static boolean anyMatch(Object node, Predicate<Object> test) {
        boolean[] found = {false};
        walk(node, n -> !found[0], n -> {
            if (test.test(n)) {
                found[0] = true;
            }
        });
        return found[0];
    }
}
