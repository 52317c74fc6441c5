package org.convinit.examples;

import java.util.Map;

import org.convinit.init.FanMode;
import org.convinit.init.Init;
import org.convinit.init.InitCall;
import org.convinit.init.Nonlinearity;
import org.convinit.nn.Conv2d;
import org.convinit.random.Generator;

/** Xavier and Kaiming on a conv weight, by Java name and by torch call; prints each weight's std. */
public final class InitSchemes {
    public static void main(String[] args) {
        Generator.manualSeed(0);
        Conv2d conv = new Conv2d(64, 128, 3);                  // fan_in = 64*3*3 = 576, fan_out = 128*3*3 = 1152
        Init.xavierUniform(conv.weight());                     // nn.init.xavier_uniform_(conv.weight): std = sqrt(2 / (576 + 1152))
        System.out.printf("xavier_uniform_ std %.4f (expected %.4f)%n", conv.weight().std().item(), Math.sqrt(2.0 / (576 + 1152)));
        Init.kaimingNormal(conv.weight(), 0, FanMode.FAN_OUT, Nonlinearity.RELU, null); // kaiming_normal_(w, mode='fan_out', nonlinearity='relu')
        System.out.printf("kaiming_normal_ std %.4f (expected %.4f)%n", conv.weight().std().item(), Math.sqrt(2.0 / 1152));
        InitCall.of("kaiming_uniform_", Map.of("a", 0.0, "nonlinearity", "relu")).apply(conv.weight(), null); // the torch call by name
        System.out.printf("kaiming_uniform_ std %.4f (expected %.4f)%n", conv.weight().std().item(), Math.sqrt(2.0 / 576));
    }
}
