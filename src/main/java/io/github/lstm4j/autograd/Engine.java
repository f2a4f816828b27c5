package io.github.lstm4j.autograd;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.tensor.ArrayPool;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs reverse-mode differentiation: sorts the graph below a tensor topologically once, then
 * calls each node's backward in reverse order, adding the gradients it returns into its inputs'
 * nodes and, for leaves that require gradients, into their {@code grad}. With {@link Anomaly}
 * detection on, every gradient a node returns is checked for NaN and infinity.
 */
public final class Engine {

    private Engine() {
    }

    /**
     * A gradient buffer. Unless {@code owned}, its array may be referred to elsewhere (a node's
     * saved array, or the caller's gradient) and is copied before any write; owned, nobody else
     * refers to it.
     */
    private static final class Buf {
        float[] data;
        boolean owned;

        /** Adds {@code g}; {@code fresh}: nobody else refers to {@code g}. */
        void add(float[] g, boolean fresh) {
            if (data == null) {
                data = g;
                owned = fresh;
                return;
            }
            if (!owned) {
                data = data.clone();
                owned = true;
            }
            float[] d = data;
            for (int i = 0; i < d.length; i++) {
                d[i] += g[i];
            }
        }
    }

    /**
     * Backpropagates {@code gradient} (laid out like {@code root}) from {@code root}.
     *
     * @param retainGraph keep saved values so that a second backward through the graph works
     */
    public static void backward(Tensor root, float[] gradient, boolean retainGraph) {
        if (!root.requiresGrad()) {
            throw new IllegalStateException("element 0 of tensors does not require grad and does not have a grad_fn");
        }
        Node rootNode = root.gradFn();
        if (rootNode == null) {
            accumulateLeaf(root, gradient);
            return;
        }
        List<Node> order = topologicalOrder(rootNode);
        Map<Node, Buf[]> grads = new IdentityHashMap<>();
        Buf[] rootBufs = new Buf[rootNode.numOutputs()];
        rootBufs[root.outputIndex()] = new Buf();
        rootBufs[root.outputIndex()].add(gradient, false);
        grads.put(rootNode, rootBufs);
        for (int idx = order.size() - 1; idx >= 0; idx--) {
            Node node = order.get(idx);
            Buf[] bufs = grads.remove(node);
            if (bufs == null) {
                continue;
            }
            float[][] gOut = new float[bufs.length][];
            for (int i = 0; i < bufs.length; i++) {
                gOut[i] = bufs[i] == null ? null : bufs[i].data;
            }
            float[][] gIn = node.runBackward(gOut);
            boolean fresh = node.returnsNewGradients();
            if (node.releasesGradOutputs()) {
                recycle(bufs, gIn);
            }
            if (Anomaly.on()) {
                Anomaly.checkBackward(node, gIn);
            }
            if (!retainGraph) {
                node.release();
            }
            for (int i = 0; i < node.needsGrad.length; i++) {
                if (!node.needsGrad[i] || gIn[i] == null) {
                    continue;
                }
                Node next = node.inputNodes[i];
                if (next != null) {
                    Buf[] nb = grads.computeIfAbsent(next, k -> new Buf[k.numOutputs()]);
                    int slot = node.inputSlots[i];
                    if (nb[slot] == null) {
                        nb[slot] = new Buf();
                    }
                    nb[slot].add(gIn[i], fresh && appearsOnce(gIn, i));
                } else {
                    accumulateLeaf(node.inputLeaves[i], gIn[i], fresh && appearsOnce(gIn, i));
                }
            }
        }
    }

    /**
     * Hands the gradient arrays that a node has consumed back to the {@link ArrayPool} when nobody
     * else refers to them (a node's new gradient, or a sum the engine made) and the node returned
     * none of them: its backward neither keeps nor returns them
     * ({@link Node#releasesGradOutputs}), so the next step's gradients of the same size reuse
     * them instead of new memory.
     */
    private static void recycle(Buf[] bufs, float[][] gIn) {
        for (Buf b : bufs) {
            if (b == null || !b.owned) {
                continue;
            }
            boolean returned = false;
            for (float[] g : gIn) {
                returned |= g == b.data;
            }
            if (!returned) {
                ArrayPool.give(b.data);
            }
        }
    }

    /** Whether {@code gIn[i]} is no other element of {@code gIn}. */
    private static boolean appearsOnce(float[][] gIn, int i) {
        for (int j = 0; j < gIn.length; j++) {
            if (j != i && gIn[j] == gIn[i]) {
                return false;
            }
        }
        return true;
    }

    private static void accumulateLeaf(Tensor leaf, float[] g) {
        accumulateLeaf(leaf, g, false);
    }

    /**
     * Adds {@code g} into the leaf's grad, or makes it the grad: {@code g} itself when
     * {@code take} (an array nobody else refers to), else a copy. Such a {@code g} added into an
     * existing grad (the grads were zeroed rather than dropped) goes back to the
     * {@link ArrayPool}, for the next step's gradient of the same size.
     */
    private static void accumulateLeaf(Tensor leaf, float[] g, boolean take) {
        Tensor grad = leaf.grad();
        if (grad == null) {
            leaf.setGrad(Tensor.wrap(take ? g : g.clone(), leaf.shape()));
        } else {
            float[] d = grad.data();
            for (int i = 0; i < d.length; i++) {
                d[i] += g[i];
            }
            grad.bumpVersion();
            if (take) {
                ArrayPool.give(g);
            }
        }
    }

    /** Nodes reachable from {@code root}, each after every node that consumes its outputs reversed. */
    static List<Node> topologicalOrder(Node root) {
        // iterative post-order DFS: a node is emitted after all its inputs, so the reverse of this
        // list visits every consumer before its producers
        List<Node> post = new ArrayList<>();
        Map<Node, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {root, 0});
        seen.put(root, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Object[] top = stack.peek();
            Node n = (Node) top[0];
            int i = (Integer) top[1];
            if (i < n.inputNodes.length) {
                top[1] = i + 1;
                Node child = n.inputNodes[i];
                if (child != null && seen.put(child, Boolean.TRUE) == null) {
                    stack.push(new Object[] {child, 0});
                }
            } else {
                stack.pop();
                post.add(n);
            }
        }
        return post;
    }
}
