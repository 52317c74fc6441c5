/**
 * torchvision 0.14's classification models: the same modules, state-dict keys and {@code weights=None}
 * initialization, bit for bit in float32 (float64 {@code normal_} within libm's last bits).
 *
 * <table>
 *   <caption>families, names and init loops</caption>
 *   <tr><th>class</th><th>{@link org.convinit.models.Models#create} names</th><th>init after the default one</th></tr>
 *   <tr><td>{@link org.convinit.models.ResNet}</td><td>resnet18/34/50/101/152, resnext50_32x4d, resnext101_32x8d,
 *       resnext101_64x4d, wide_resnet50_2, wide_resnet101_2</td><td>kaiming_normal_(fan_out, relu), BN 1/0,
 *       zero_init_residual; {@code norm_layer} a {@link org.convinit.models.NormLayer}</td></tr>
 *   <tr><td>{@link org.convinit.models.Vgg}</td><td>vgg11/13/16/19, with _bn</td><td>kaiming_normal_(fan_out), BN 1/0,
 *       Linear normal_(0, 0.01)</td></tr>
 *   <tr><td>{@link org.convinit.models.AlexNet}</td><td>alexnet</td><td>none</td></tr>
 *   <tr><td>{@link org.convinit.models.SqueezeNet}</td><td>squeezenet1_0, squeezenet1_1</td><td>kaiming_uniform_, final
 *       conv normal_(0, 0.01), biases 0</td></tr>
 *   <tr><td>{@link org.convinit.models.MobileNetV2}, {@link org.convinit.models.MobileNetV3}</td><td>mobilenet_v2,
 *       mobilenet_v3_small, mobilenet_v3_large</td><td>kaiming_normal_(fan_out), BN 1/0, Linear normal_(0, 0.01);
 *       {@code norm_layer}</td></tr>
 *   <tr><td>{@link org.convinit.models.DenseNet}</td><td>densenet121/161/169/201</td><td>kaiming_normal_, BN 1/0,
 *       Linear bias 0</td></tr>
 *   <tr><td>{@link org.convinit.models.ShuffleNetV2}</td><td>shufflenet_v2_x0_5/x1_0/x1_5/x2_0</td><td>none</td></tr>
 *   <tr><td>{@link org.convinit.models.EfficientNet}</td><td>efficientnet_b0 ... b7, efficientnet_v2_s/m/l</td><td>kaiming_normal_(fan_out),
 *       BN 1/0, Linear uniform_(±1/√out);
 *       {@code norm_layer} for b0-b4 (the others fix theirs)</td></tr>
 *   <tr><td>{@link org.convinit.models.RegNet}</td><td>regnet_y_400mf ... regnet_y_128gf, regnet_x_400mf ... regnet_x_32gf</td><td>normal_(0,
 *       √(2/fan_out)), BN 1/0, Linear normal_(0, 0.01); {@code norm_layer}</td></tr>
 *   <tr><td>{@link org.convinit.models.ConvNeXt}</td><td>convnext_tiny, convnext_small</td><td>trunc_normal_(std=0.02),
 *       biases 0</td></tr>
 * </table>
 *
 * <pre>{@code
 * Generator.manualSeed(0);                                             // torch.manual_seed(0)
 * ResNet net = Models.resnet18(ResNet.Options.DEFAULT.numClasses(10)); // torchvision.models.resnet18(num_classes=10)
 * Module m = Models.create("mobilenet_v3_small", Map.of("width_mult", 0.75), DType.FLOAT32);
 * net.loadStateDict(torchvisionStateDict);                             // strict, with the full report on failure
 * }</pre>
 */
package org.convinit.models;
