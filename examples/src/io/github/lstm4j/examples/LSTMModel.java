package io.github.lstm4j.examples;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.nn.Forward;
import io.github.lstm4j.nn.LSTM;
import io.github.lstm4j.nn.Linear;
import io.github.lstm4j.nn.Module;

/**
 * The PyTorch tutorial's model, line for line: an LSTM over a batch-first sequence, zero initial
 * states, and a Linear layer on the last time step's output.
 *
 * <pre>{@code
 * class LSTMModel(nn.Module):
 *     def __init__(self, input_size, hidden_size, output_size, num_layers):
 *         super(LSTMModel, self).__init__()
 *         self.hidden_size = hidden_size
 *         self.num_layers = num_layers
 *         self.lstm = nn.LSTM(input_size, hidden_size, num_layers, batch_first=True)
 *         self.fc = nn.Linear(hidden_size, output_size)
 *
 *     def forward(self, x):
 *         h0 = torch.zeros(self.num_layers, x.size(0), self.hidden_size)
 *         c0 = torch.zeros(self.num_layers, x.size(0), self.hidden_size)
 *         out, _ = self.lstm(x, (h0, c0))
 *         out = self.fc(out[:, -1, :])
 *         return out
 * }</pre>
 *
 * Input {@code (batch, seq, inputSize)}; output {@code (batch, outputSize)}. State-dict keys are
 * PyTorch's: {@code lstm.weight_ih_l0} ... {@code fc.weight}, {@code fc.bias}.
 */
public class LSTMModel extends Module implements Forward {

    private final int hiddenSize;
    private final int numLayers;
    /** The recurrent part. */
    public final LSTM lstm;
    /** The head on the last time step. */
    public final Linear fc;

    /** The tutorial's constructor. */
    public LSTMModel(int inputSize, int hiddenSize, int outputSize, int numLayers) {
        this.hiddenSize = hiddenSize;
        this.numLayers = numLayers;
        this.lstm = registerModule("lstm", LSTM.builder(inputSize, hiddenSize).numLayers(numLayers).batchFirst(true).build());
        this.fc = registerModule("fc", new Linear(hiddenSize, outputSize));
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor h0 = Tensor.zeros(numLayers, x.size(0), hiddenSize);
        Tensor c0 = Tensor.zeros(numLayers, x.size(0), hiddenSize);
        Tensor out = lstm.forward(x, h0, c0).output();
        out = fc.forward(out.select(1, -1));   // out[:, -1, :]
        return out;
    }
}
