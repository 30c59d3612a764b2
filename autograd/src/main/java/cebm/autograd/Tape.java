package cebm.autograd;

import cebm.tensor.Ops;
import cebm.tensor.Shape;
import cebm.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode differentiation over the graph that ops recorded:
 * <ol>
 *   <li>sort the nodes topologically (every node after the nodes it was computed from);</li>
 *   <li>walk them in reverse, handing each op the gradient of its output and adding the gradients
 *       it returns onto its inputs (a variable used twice receives the sum of both);</li>
 *   <li>free the graph, so that a loop of many forward/backward passes (60 SGLD steps) does not
 *       keep every step's intermediate tensors alive.</li>
 * </ol>
 */
public final class Tape {
    private Tape() {}

    /**
     * Sees, during a backward pass, the gradient of the output with respect to each node it reaches,
     * once that gradient is complete (summed over every use of the node). Used to draw the graph
     * with its gradients ({@link GraphDot}); the pass itself is the same with or without one.
     */
    @FunctionalInterface
    public interface GradientObserver {
        void gradient(Variable node, Tensor grad);
    }

    /**
     * Backpropagates a scalar into the {@link Variable#grad()} of every leaf that requires a
     * gradient, showing each node's gradient to {@code observer} (which may be null).
     */
    static void backward(Variable output, GradientObserver observer) {
        if (output.value().numel() != 1) {
            throw new IllegalArgumentException("backward: output " + Shape.show(output.shape())
                    + " is not a scalar; sum it first or use Tape.gradient");
        }
        Map<Variable, Tensor> leafGrads = run(output, ones(output), null, observer);
        leafGrads.forEach(Variable::accumulateGrad);
    }

    /**
     * ∂(Σ output)/∂wrt for each requested leaf, without touching any {@code grad()} field; only
     * the paths that lead to those leaves are computed. This is what SGLD needs: ∂E/∂x for the
     * chains, and no parameter gradients at all.
     */
    public static Tensor[] gradient(Variable output, Variable... wrt) {
        Set<Variable> targets = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Variable v : wrt) {
            if (!v.isLeaf() || !v.requiresGrad()) {
                throw new IllegalArgumentException("gradient: " + v + " is not a leaf that requires a gradient");
            }
            targets.add(v);
        }
        Map<Variable, Tensor> grads = run(output, ones(output), targets, null);
        Tensor[] out = new Tensor[wrt.length];
        for (int i = 0; i < wrt.length; i++) {
            Tensor g = grads.get(wrt[i]);
            out[i] = g != null ? g : wrt[i].value().backend().full(0f, wrt[i].shape());
        }
        return out;
    }

    /** ∂(Σ output)/∂output: ones, on the output's backend. */
    private static Tensor ones(Variable output) {
        return output.value().backend().full(1f, output.shape());
    }

    /** The core loop. {@code targets} null means "every leaf that requires a gradient". */
    private static Map<Variable, Tensor> run(Variable output, Tensor seed, Set<Variable> targets, GradientObserver observer) {
        List<Variable> order = topologicalOrder(output);
        if (targets != null) pruneToTargets(order, targets);

        // region tape-loop (quoted in docs/autodiff.md)
        Map<Variable, Tensor> pending = new IdentityHashMap<>();
        Map<Variable, Tensor> leafGrads = new IdentityHashMap<>();
        pending.put(output, seed);
        for (int i = order.size() - 1; i >= 0; i--) {
            Variable node = order.get(i);
            Tensor g = pending.remove(node);
            if (g == null) continue;
            if (observer != null) observer.gradient(node, g);
            if (node.isLeaf()) {
                if (targets == null ? node.requiresGrad() : targets.contains(node)) leafGrads.put(node, g);
                continue;
            }
            Function op = node.creator();
            Tensor[] inputGrads = op.backward(g);
            Variable[] inputs = op.inputs();
            for (int k = 0; k < inputs.length; k++) {
                if (inputGrads[k] == null || !op.needsGrad(k)) continue;
                // Broadcasting in the forward pass means summing in the backward pass: done here, once, for every op.
                Tensor gk = Ops.sumToShape(inputGrads[k], inputs[k].shape());
                pending.merge(inputs[k], gk, Ops::add);
            }
        }
        // endregion
        for (Variable node : order) {
            if (!node.isLeaf()) {
                node.creator().release();
                node.detachCreator();
            }
        }
        return leafGrads;
    }

    /** Every node {@code output} was computed from, and itself, each after the nodes it was computed from. */
    static List<Variable> topologicalOrder(Variable output) {
        List<Variable> order = new ArrayList<>();
        topologicalSort(output, Collections.newSetFromMap(new IdentityHashMap<>()), order);
        return order;
    }

    // region topological-sort (quoted in docs/autodiff.md)
    private static void topologicalSort(Variable node, Set<Variable> visited, List<Variable> order) {
        if (!visited.add(node)) return;
        if (!node.isLeaf()) {
            for (Variable input : node.creator().inputs()) topologicalSort(input, visited, order);
        }
        order.add(node);
    }
    // endregion

    /** Marks which inputs of each op lead to a target, so ops skip the gradients nobody asked for. */
    private static void pruneToTargets(List<Variable> order, Set<Variable> targets) {
        Set<Variable> reaches = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Variable node : order) { // inputs come before the nodes made from them
            if (targets.contains(node)) {
                reaches.add(node);
            } else if (!node.isLeaf()) {
                Variable[] inputs = node.creator().inputs();
                boolean[] wanted = new boolean[inputs.length];
                boolean any = false;
                for (int k = 0; k < inputs.length; k++) {
                    wanted[k] = reaches.contains(inputs[k]);
                    any |= wanted[k];
                }
                node.creator().restrictGrads(wanted);
                if (any) reaches.add(node);
            }
        }
    }
}
