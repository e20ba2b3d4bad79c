namespace DiffOp.Environments.Common;

/// <summary>A setting name accepted by <c>--set key=value</c> and what it means (docs/environments.md, key table).</summary>
/// <param name="Name">The key, e.g. <c>dt</c>.</param>
/// <param name="Meaning">One line saying what the value is and how a list is written.</param>
public sealed record SettingKey(string Name, string Meaning);
