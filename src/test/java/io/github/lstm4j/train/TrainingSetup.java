package io.github.lstm4j.train;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.data.DataLoader;
import io.github.lstm4j.data.TensorDataset;
import io.github.lstm4j.nn.MSELoss;
import io.github.lstm4j.optim.Adam;
import io.github.lstm4j.optim.StepLR;

/**
 * One set of training objects for the tests: the tutorial model with dropout (drawing from the
 * default generator), MSELoss, Adam, a StepLR, a shuffling training loader (20 samples in batches
 * of 6: 4 batches per epoch) and a shuffling validation loader (8 samples in batches of 3).
 * Weights, dropout masks and shuffling depend on the two seeds; the data never changes.
 */
final class TrainingSetup {

    static final int BATCHES_PER_EPOCH = 4;

    final TutorialModelWithDropout model;
    final MSELoss criterion = new MSELoss();
    final Adam optimizer;
    final StepLR scheduler;
    final DataLoader loader;
    final DataLoader valLoader;

    TrainingSetup(long weightSeed, long shuffleSeed) {
        Generator.manualSeed(weightSeed);
        model = new TutorialModelWithDropout(1, 8, 1, 2, 0.3);
        optimizer = new Adam(model.parameters(), 0.01);
        scheduler = new StepLR(optimizer, 2, 0.5);
        loader = DataLoader.builder(data(123, 20)).batchSize(6).shuffle(new Generator(shuffleSeed)).build();
        valLoader = DataLoader.builder(data(456, 8)).batchSize(3).shuffle(new Generator(shuffleSeed + 1)).build();
    }

    /** {@code n} random sequences {@code (n, 6, 1)} and targets {@code (n, 1)}. */
    static TensorDataset data(long seed, int n) {
        Generator g = new Generator(seed);
        return new TensorDataset(Tensor.randn(g, n, 6, 1), Tensor.randn(g, n, 1));
    }

    /**
     * {@code n} random sequences {@code (n, 6, 1)} whose target is {@code 0.3 * sum over time}
     * plus Gaussian noise of standard deviation {@code noise}: learnable, and easy to overfit.
     */
    static TensorDataset signal(long seed, int n, float noise) {
        Generator g = new Generator(seed);
        Tensor x = Tensor.randn(g, n, 6, 1);
        Tensor y = x.sum(new int[] {1}, false).mul(0.3f).add(Tensor.randn(g, n, 1).mul(noise));
        return new TensorDataset(x, y);
    }

    /** A Trainer builder over these objects, without logging. */
    Trainer.Builder trainer() {
        return Trainer.builder(model).loss(criterion::forward).optimizer(optimizer).trainLoader(loader).logEvery(0);
    }
}
