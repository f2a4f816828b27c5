package io.github.lstm4j.examples;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.nn.MSELoss;
import io.github.lstm4j.optim.Adam;
import io.github.lstm4j.optim.Optimizer;
import java.util.Locale;

/**
 * The PyTorch LSTM tutorial in Java, line for line: {@code LSTMModel(1, 50, 1, 2)}, MSELoss, Adam
 * with lr 0.001, 100 epochs on random {@code (32, 10, 1)} inputs and {@code (32, 1)} targets,
 * printing the loss every 10 epochs.
 *
 * <pre>{@code
 * model = LSTMModel(input_size=1, hidden_size=50, output_size=1, num_layers=2)
 * criterion = nn.MSELoss()
 * optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
 * x_train = torch.randn(32, 10, 1); y_train = torch.randn(32, 1)
 * for epoch in range(100):
 *     model.train()
 *     outputs = model(x_train)
 *     optimizer.zero_grad()
 *     loss = criterion(outputs, y_train)
 *     loss.backward()
 *     optimizer.step()
 *     if (epoch+1) % 10 == 0:
 *         print(f'Epoch [{epoch+1}/100], Loss: {loss.item():.4f}')
 * }</pre>
 *
 * <pre>examples/run Tutorial [--epochs N] [--seed S] [--quick]</pre>
 * The last line is a JSON object with the first and final loss.
 */
public final class Tutorial {

    private Tutorial() {
    }

    public static void main(String[] args) {
        int numEpochs = 100;
        long seed = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--epochs":
                    numEpochs = Integer.parseInt(args[++i]);
                    break;
                case "--seed":
                    seed = Long.parseLong(args[++i]);
                    break;
                case "--quick":
                    numEpochs = 20;
                    break;
                default:
                    throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (expected --epochs N, --seed S, --quick)");
            }
        }
        Generator.manualSeed(seed);                          // torch.manual_seed(seed)
        Generator gen = Generator.defaultGenerator();

        LSTMModel model = new LSTMModel(1, 50, 1, 2);
        MSELoss criterion = new MSELoss();
        Optimizer optimizer = new Adam(model.parameters(), 0.001);

        Tensor xTrain = Tensor.randn(gen, 32, 10, 1);        // torch.randn(32, 10, 1)
        Tensor yTrain = Tensor.randn(gen, 32, 1);            // torch.randn(32, 1)

        float first = Float.NaN;
        float last = Float.NaN;
        long start = System.nanoTime();
        for (int epoch = 0; epoch < numEpochs; epoch++) {
            model.train();
            Tensor outputs = model.forward(xTrain);
            optimizer.zeroGrad();
            Tensor loss = criterion.forward(outputs, yTrain);
            loss.backward();
            optimizer.step();
            last = loss.item();
            if (epoch == 0) {
                first = last;
            }
            if ((epoch + 1) % 10 == 0) {
                System.out.printf(Locale.ROOT, "Epoch [%d/%d], Loss: %.4f%n", epoch + 1, numEpochs, last);
            }
        }
        double ms = (System.nanoTime() - start) / 1e6 / Math.max(numEpochs, 1);
        System.out.printf(Locale.ROOT,
            "{\"example\":\"Tutorial\",\"seed\":%d,\"epochs\":%d,\"first_loss\":%.6g,\"final_loss\":%.6g,\"ms_per_epoch\":%.3f}%n",
            seed, numEpochs, first, last, ms);
    }
}
