package io.github.lstm4j.train;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.nn.Forward;
import io.github.lstm4j.nn.LSTM;
import io.github.lstm4j.nn.Linear;
import io.github.lstm4j.nn.Module;

/**
 * The tutorial's {@code LSTMModel} with dropout between the LSTM layers, so that training draws
 * from a generator (the default generator, as PyTorch's {@code nn.LSTM(dropout=p)} draws from the
 * global one) and resuming must restore it. {@code examples.LSTMModel} has no dropout argument.
 */
final class TutorialModelWithDropout extends Module implements Forward {

    private final int hiddenSize;
    private final int numLayers;
    final LSTM lstm;
    final Linear fc;

    TutorialModelWithDropout(int inputSize, int hiddenSize, int outputSize, int numLayers, double dropout) {
        this.hiddenSize = hiddenSize;
        this.numLayers = numLayers;
        this.lstm = registerModule("lstm", LSTM.builder(inputSize, hiddenSize).numLayers(numLayers).batchFirst(true)
            .dropout(dropout).build());
        this.fc = registerModule("fc", new Linear(hiddenSize, outputSize));
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor h0 = Tensor.zeros(numLayers, x.size(0), hiddenSize);
        Tensor c0 = Tensor.zeros(numLayers, x.size(0), hiddenSize);
        Tensor out = lstm.forward(x, h0, c0).output();
        return fc.forward(out.select(1, -1));
    }
}
