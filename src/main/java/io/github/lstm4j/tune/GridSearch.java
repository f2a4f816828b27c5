package io.github.lstm4j.tune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Visits every combination of the parameters' values, the last declared parameter changing
 * fastest. Choices, integer ranges and fixed values enumerate themselves; a continuous range must
 * be given explicit values with {@link #values}, or the search is rejected before it starts.
 *
 * <pre>{@code
 * new GridSearch().values("lr", 1e-4, 1e-3, 1e-2).values("dropout", 0.0, 0.2)
 * }</pre>
 *
 * The tuner runs the whole grid unless asked for fewer trials.
 */
public final class GridSearch implements SearchStrategy {

    private final Map<String, List<Object>> explicit = new LinkedHashMap<>();

    /** Searches the parameter {@code name} over exactly {@code values} (checked against its dimension). */
    public GridSearch values(String name, Object... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("GridSearch.values('" + name + "') needs at least one value");
        }
        explicit.put(name, List.copyOf(Arrays.asList(values)));
        return this;
    }

    /** The values of each parameter in space order. */
    private List<List<Object>> axes(SearchSpace space) {
        for (String name : explicit.keySet()) {
            space.dimension(name);
        }
        List<List<Object>> axes = new ArrayList<>();
        for (Dimension d : space.dimensions()) {
            List<Object> given = explicit.get(d.name());
            if (given == null) {
                axes.add(d.gridValues());
            } else {
                List<Object> checked = new ArrayList<>();
                for (Object v : given) {
                    checked.add(d.validate(v));
                }
                axes.add(checked);
            }
        }
        return axes;
    }

    @Override
    public void check(SearchSpace space) {
        maxTrials(space);
    }

    @Override
    public long maxTrials(SearchSpace space) {
        long n = 1;
        for (List<Object> axis : axes(space)) {
            n = Math.multiplyExact(n, axis.size());
        }
        return n;
    }

    @Override
    public Params propose(Context context) {
        List<List<Object>> axes = axes(context.space());
        long n = context.trialNumber();
        if (n >= maxTrials(context.space())) {
            return null;
        }
        Object[] values = new Object[axes.size()];
        for (int d = axes.size() - 1; d >= 0; d--) {
            int size = axes.get(d).size();
            values[d] = axes.get(d).get((int) (n % size));
            n /= size;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        List<String> names = context.space().names();
        for (int d = 0; d < values.length; d++) {
            map.put(names.get(d), values[d]);
        }
        return new Params(map);
    }

    @Override
    public String toString() {
        return "GridSearch" + (explicit.isEmpty() ? "" : explicit);
    }
}
