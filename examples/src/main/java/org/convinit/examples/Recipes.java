package org.convinit.examples;

// README: recipes begin
import java.nio.file.Path;
import java.util.Map;

import org.convinit.autograd.GradMode;
import org.convinit.io.CheckpointException;
import org.convinit.io.Checkpoints;
import org.convinit.io.StateDicts;
import org.convinit.nn.Conv2d;
import org.convinit.nn.ConvOptions;
import org.convinit.nn.LoadReport;
import org.convinit.nn.Module; // by name: a wildcard import of org.convinit.nn would clash with java.lang.Module
import org.convinit.nn.ReLU;
import org.convinit.nn.Sequential;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/** The three ways PyTorch users set conv weights, each next to its PyTorch line. */
public final class Recipes {
    public static void main(String[] args) throws CheckpointException {
        Path pretrained = Path.of(args.length > 0 ? args[0] : "pretrained.pth");

        Generator.manualSeed(0);                                              // torch.manual_seed(0)
        Conv2d conv = new Conv2d(3, 16, 3, ConvOptions.DEFAULT.padding(1));   // conv = nn.Conv2d(3, 16, 3, padding=1)

        // 1. a custom tensor copied in under no-grad
        Tensor w = Tensor.empty(DType.FLOAT32, 16, 3, 3, 3).uniform_(-0.1, 0.1); // w = torch.empty(16, 3, 3, 3).uniform_(-0.1, 0.1)
        try (var g = GradMode.noGrad()) {                                     // with torch.no_grad():
            conv.weight().copy_(w);                                           //     conv.weight.copy_(w)
        }
        System.out.println(conv.weight().shape());                            // conv.weight.shape -> [16, 3, 3, 3]

        // 2. one tensor of a pretrained checkpoint, by key: the shape is checked, both shapes in the error
        Map<String, Tensor> sd = Checkpoints.readTensors(pretrained);         // sd = torch.load('pretrained.pth')
        conv.loadTensor("weight", sd.get("features.0.weight"));               // with torch.no_grad(): conv.weight.copy_(sd['features.0.weight'])
        try {
            conv.loadTensor("weight", sd.get("conv1.weight"));
        } catch (IllegalArgumentException e) {
            System.out.println(e.getMessage());   // size mismatch for weight: copying a param with shape [32, 16, 3, 3]
        }                                         // from checkpoint, the shape in current model is [16, 3, 3, 3].

        // ... or a whole model, strictly: the full report (missing, unexpected, shapes) first; nothing changes on failure
        Module model = new Sequential(conv, new ReLU());                      // model = nn.Sequential(conv, nn.ReLU())
        Map<String, Tensor> features = StateDicts.select(sd, "features");     // {k[9:]: v for k, v in sd.items() if k.startswith('features.')}
        LoadReport report = model.loadStateDict(features, true);              // model.load_state_dict(features, strict=True)
        System.out.println(report);                                           // <All keys matched successfully>

        // 3. zero, then set single elements by index
        try (var g = GradMode.noGrad()) {                                     // with torch.no_grad():
            conv.weight().zero_();                                            //     conv.weight.zero_()
            conv.weight().set(1, 0, 0, 0, 0);                                 //     conv.weight[0, 0, 0, 0] = 1
        }
        System.out.println(conv.weight().sum().item());                      // 1.0
    }
}
// README: recipes end
