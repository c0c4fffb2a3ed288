/**
 * The {@code tgsupport} command-line program: {@link dev.tgsupport.sample.TgSupportCli} and one package-private class
 * per subcommand. Also the worked example of embedding the SDK: see {@code DemoBot}.
 */
package dev.tgsupport.sample;
