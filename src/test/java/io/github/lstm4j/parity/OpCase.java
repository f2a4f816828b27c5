package io.github.lstm4j.parity;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.nn.Module;
import io.github.lstm4j.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shape of every op-level case: build a module from the config, load {@code param.*} through
 * {@link Module#loadStateDict}, run forward on {@code input.*}, backpropagate
 * {@code L = sum_k sum(output.k * upstream.k)}, then compare every {@code output.*} and
 * {@code grad.*} within the README's op-level tolerance ({@code 1e-5 + 1e-4 |b|}; cases with
 * sequences of 50 steps or more get {@code 1e-4 + 1e-4 |b|}, as the README allows).
 */
public abstract class OpCase implements ParityKind {

    /** Builds the module (null when the op has no parameters). */
    protected abstract Module build(Fixture f);

    /**
     * Runs forward.
     *
     * @param inputs {@code input.*} tensors by short name, float inputs requiring grad
     * @return outputs by the short names used in the file ({@code y}, {@code output}, {@code h_n} ...)
     */
    protected abstract Map<String, Tensor> forward(Module module, Map<String, Tensor> inputs, Fixture f);

    /** Input names that are not differentiable (e.g. {@code lengths}). */
    protected boolean differentiable(String inputName) {
        return !inputName.equals("lengths");
    }

    /** Absolute tolerance for this case. */
    protected double atol(Fixture f) {
        return f.intConfig("seq_len", 0) >= 50 ? 1e-4 : ParityAssert.OP_ATOL;
    }

    @Override
    public void run(Fixture f) {
        Module module = build(f);
        if (module != null) {
            module.loadStateDict(f.withPrefix("param"), true);
        }
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : f.withPrefix("input").entrySet()) {
            Tensor t = e.getValue();
            if (differentiable(e.getKey())) {
                t.requiresGrad_(true);
            }
            inputs.put(e.getKey(), t);
        }
        Map<String, Tensor> outputs = forward(module, inputs, f);
        double atol = atol(f);
        double rtol = ParityAssert.OP_RTOL;
        for (Map.Entry<String, Tensor> e : f.withPrefix("output").entrySet()) {
            ParityAssert.assertClose(f.name() + ": output." + e.getKey(), e.getValue(), outputs.get(e.getKey()), atol, rtol);
        }
        Tensor loss = null;
        for (Map.Entry<String, Tensor> e : f.withPrefix("upstream").entrySet()) {
            Tensor out = outputs.get(e.getKey());
            if (out == null) {
                throw new AssertionError(f.name() + ": forward produced no '" + e.getKey() + "' for upstream." + e.getKey());
            }
            Tensor term = out.mul(e.getValue().reshape(out.shape())).sum();
            loss = loss == null ? term : loss.add(term);
        }
        Map<String, Tensor> grads = f.withPrefix("grad");
        if (grads.isEmpty()) {
            return;
        }
        if (loss == null) {
            throw new AssertionError(f.name() + ": grad.* present but no upstream.*");
        }
        loss.backward();
        Map<String, Parameter> params = module == null ? Map.of() : module.namedParameters();
        for (Map.Entry<String, Tensor> e : grads.entrySet()) {
            String name = e.getKey();
            Tensor source = inputs.containsKey(name) ? inputs.get(name) : params.get(name);
            if (source == null) {
                throw new AssertionError(f.name() + ": grad." + name + " names neither an input nor a parameter; "
                    + "parameters are " + params.keySet());
            }
            Tensor g = source.grad() == null ? Tensor.zeros(source.shape()) : source.grad();
            ParityAssert.assertClose(f.name() + ": grad." + name, e.getValue(), g, atol, rtol);
        }
    }
}
