using DiffOp.Environments.CartPole;
using DiffOp.Environments.Common;
using DiffOp.Environments.Quadrotor;
using DiffOp.Environments.RobotArm;
using DiffOp.Environments.Rocket;

namespace DiffOp.Environments.Tests.Common;

/// <summary>Creates the three control tasks from settings objects (the catalog creates them from key=value text).</summary>
internal static class ControlTasks
{
    public static ControlTaskSettings Defaults(string name) => name switch
    {
        CartPoleSettings.Name => new CartPoleSettings(),
        RobotArmSettings.Name => new RobotArmSettings(),
        QuadrotorSettings.Name => new QuadrotorSettings(),
        RocketSettings.Name => new RocketSettings(),
        _ => throw new ArgumentException(name),
    };

    public static IControlTaskEnvironment Simulator(ControlTaskSettings settings) => settings switch
    {
        CartPoleSettings s => new CartPoleEnvironment(s),
        RobotArmSettings s => new RobotArmEnvironment(s),
        QuadrotorSettings s => new QuadrotorEnvironment(s),
        RocketSettings s => new RocketEnvironment(s),
        _ => throw new ArgumentException(settings.GetType().Name),
    };

    public static IPolicyModel Model(ControlTaskSettings settings) => settings switch
    {
        CartPoleSettings s => new CartPolePolicyModel(s),
        RobotArmSettings s => new RobotArmPolicyModel(s),
        QuadrotorSettings s => new QuadrotorPolicyModel(s),
        RocketSettings s => new RocketPolicyModel(s),
        _ => throw new ArgumentException(settings.GetType().Name),
    };
}
