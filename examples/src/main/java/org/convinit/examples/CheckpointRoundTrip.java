package org.convinit.examples;

import java.nio.file.Path;
import java.util.Map;

import org.convinit.io.CheckpointException;
import org.convinit.io.Checkpoints;
import org.convinit.nn.BatchNorm2d;
import org.convinit.nn.Conv2d;
import org.convinit.nn.Module;
import org.convinit.nn.ReLU;
import org.convinit.nn.Sequential;
import org.convinit.random.Generator;
import org.convinit.tensor.Tensor;

/** A model's state dict saved in each format and loaded back into a fresh model: the same values. */
public final class CheckpointRoundTrip {
    public static void main(String[] args) throws CheckpointException {
        Path dir = Path.of(args.length > 0 ? args[0] : ".");
        Generator.manualSeed(1);
        Module model = new Sequential(new Conv2d(3, 8, 3), new BatchNorm2d(8), new ReLU());
        for (String name : new String[] {"model.pth", "model.safetensors", "model.npz"}) {
            Path file = dir.resolve(name);
            Checkpoints.write(file, model.stateDict());         // torch.save(model.state_dict(), file)
            Generator.manualSeed(2);
            Module fresh = new Sequential(new Conv2d(3, 8, 3), new BatchNorm2d(8), new ReLU());
            System.out.println(name + ": " + fresh.loadStateDict(Checkpoints.readTensors(file), true));
            for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
                if (!e.getValue().valueEquals(fresh.stateDict().get(e.getKey()))) {
                    throw new AssertionError(name + ": " + e.getKey() + " differs after the round trip");
                }
            }
        }
    }
}
