package dev.sluice.compiler.analyzer;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rebuilds an AST with some nodes replaced (matched by identity, so two equal nodes at different
 * places stay apart). Records are rebuilt through their canonical constructor only when something
 * below them changed; nested queries are entered too, unlike {@link AstWalker}.
 */
final class AstRewriter {
    private AstRewriter() {
    }

    @SuppressWarnings("unchecked")
    static <T> T replace(T node, IdentityHashMap<Object, Object> replacements) {
        return (T) rewrite(node, replacements);
    }

    private static Object rewrite(Object node, Map<Object, Object> replacements) {
        if (node == null) {
            return null;
        }
        if (replacements.containsKey(node)) {
            return replacements.get(node);
        }
        if (node instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            boolean changed = false;
            for (Object x : list) {
                Object y = rewrite(x, replacements);
                changed |= y != x;
                out.add(y);
            }
            return changed ? out : list;
        }
        if (node instanceof Collection<?>) {
            return node;
        }
        if (node instanceof Optional<?> opt) {
            if (opt.isEmpty()) {
                return opt;
            }
            Object y = rewrite(opt.get(), replacements);
            return y == opt.get() ? opt : Optional.of(y);
        }
        if (!node.getClass().isRecord()) {
            return node;
        }
        RecordComponent[] components = node.getClass().getRecordComponents();
        Object[] values = new Object[components.length];
        boolean changed = false;
        try {
            for (int i = 0; i < components.length; i++) {
                Object child = components[i].getAccessor().invoke(node);
                values[i] = rewrite(child, replacements);
                changed |= values[i] != child;
            }
            if (!changed) {
                return node;
            }
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
            }
            Constructor<?> canonical = node.getClass().getDeclaredConstructor(types);
            canonical.setAccessible(true);
            return canonical.newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot rebuild " + node.getClass().getSimpleName(), e);
        }
    }
}
