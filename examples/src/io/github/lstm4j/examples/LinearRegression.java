package io.github.lstm4j.examples;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.NoGrad;
import io.github.lstm4j.nn.Linear;
import io.github.lstm4j.nn.MSELoss;
import io.github.lstm4j.nn.Parameter;
import java.util.Locale;

/**
 * Fits {@code y = 3 x1 - 2 x2 + 0.5} (plus a little noise) with one {@code Linear(2, 1)} layer,
 * {@code MSELoss} and plain gradient descent written out by hand, printing the loss as it falls.
 *
 * <pre>examples/run LinearRegression [--epochs N] [--lr LR] [--quick]</pre>
 *
 * The last line is a JSON object with the final loss and the learned weights.
 */
public final class LinearRegression {

    private LinearRegression() {
    }

    public static void main(String[] args) {
        int epochs = 200;
        float lr = 0.1f;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--epochs":
                    epochs = Integer.parseInt(args[++i]);
                    break;
                case "--lr":
                    lr = Float.parseFloat(args[++i]);
                    break;
                case "--quick":
                    epochs = 60;
                    break;
                default:
                    throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (expected --epochs N, --lr LR, --quick)");
            }
        }
        Generator gen = new Generator(42);
        int n = 256;
        Tensor x = Tensor.randn(gen, n, 2);
        Tensor trueW = Tensor.of(new float[] {3f, -2f}, 2, 1);
        Tensor noise = Tensor.randn(gen, n, 1).mul(0.01f);
        Tensor y = x.matmul(trueW).add(0.5f).add(noise);

        Linear model = new Linear(2, 1, true, gen);
        MSELoss criterion = new MSELoss();
        float first = Float.NaN;
        float loss = Float.NaN;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            Tensor out = model.forward(x);
            Tensor l = criterion.forward(out, y);
            model.zeroGrad();
            l.backward();
            try (NoGrad ignored = Tensor.noGrad()) {
                for (Parameter p : model.parameters()) {
                    p.sub_(p.grad().mul(lr));
                }
            }
            loss = l.item();
            if (epoch == 1) {
                first = loss;
            }
            if (epoch == 1 || epoch % Math.max(epochs / 10, 1) == 0) {
                System.out.printf(Locale.ROOT, "Epoch [%d/%d], Loss: %.6f%n", epoch, epochs, loss);
            }
        }
        float[] w = model.weight.toFloatArray();
        float b = model.bias.item();
        System.out.printf(Locale.ROOT, "learned y = %.4f x1 + %.4f x2 + %.4f (true: 3 x1 - 2 x2 + 0.5)%n", w[0], w[1], b);
        System.out.printf(Locale.ROOT,
            "{\"example\":\"LinearRegression\",\"epochs\":%d,\"first_loss\":%.6g,\"final_loss\":%.6g,\"w1\":%.5f,\"w2\":%.5f,\"b\":%.5f}%n",
            epochs, first, loss, w[0], w[1], b);
    }
}
