package io.github.lstm4j.tune;

import static io.github.lstm4j.tune.SearchSpaceTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GridSearchTest {

    @Test
    void gridVisitsEveryCombinationExactlyOnceLastParameterFastest() {
        SearchSpace space = new SearchSpace().choice("hiddenSize", 32, 64).intRange("layers", 1, 3)
            .logUniform("lr", 1e-4, 1e-2).fixed("epochs", 5);
        GridSearch grid = new GridSearch().values("lr", 1e-4, 1e-3);
        TuningResult result = new Tuner(space).strategy(grid).threads(2).run(t -> t.params().getDouble("lr"));

        assertEquals(2 * 3 * 2, result.trials().size(), "the grid runs whole when no trial count is set");
        Set<List<Object>> seen = new HashSet<>();
        for (TrialResult t : result.trials()) {
            seen.add(List.copyOf(t.params().asMap().values()));
        }
        assertEquals(12, seen.size(), "every combination once");
        assertEquals(List.of(32, 1, 1e-4, 5), List.copyOf(result.trials().get(0).params().asMap().values()));
        assertEquals(List.of(32, 1, 1e-3, 5), List.copyOf(result.trials().get(1).params().asMap().values()));
        assertEquals(List.of(64, 3, 1e-3, 5), List.copyOf(result.trials().get(11).params().asMap().values()));
    }

    @Test
    void continuousRangesNeedExplicitValuesInsideTheirBounds() {
        SearchSpace space = new SearchSpace().uniform("dropout", 0, 0.5).intRange("layers", 1, 2);
        assertMessage("grid search cannot enumerate the continuous range 'dropout' [0.0, 0.5]",
            () -> new Tuner(space).strategy(new GridSearch()).run(t -> 0));
        assertMessage("uniform 'dropout': 0.7 is outside [0.0, 0.5]",
            () -> new Tuner(space).strategy(new GridSearch().values("dropout", 0.0, 0.7)).run(t -> 0));
        assertMessage("search space has no parameter 'dropuot'",
            () -> new Tuner(space).strategy(new GridSearch().values("dropuot", 0.1)).run(t -> 0));
    }

    @Test
    void aTrialBudgetSmallerThanTheGridStopsEarly() {
        SearchSpace space = new SearchSpace().intRange("a", 0, 9).intRange("b", 0, 9);
        TuningResult result = new Tuner(space).strategy(new GridSearch()).trials(7).threads(1).run(t -> 0);
        assertEquals(7, result.trials().size());
        assertEquals(6, result.trials().get(6).params().getInt("b"));
    }
}
