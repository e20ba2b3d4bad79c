using System.Runtime.InteropServices;

namespace DiffOp.Interop.Ipopt;

/// <summary>
/// Raw imports of every function of Ipopt's C interface (IpStdCInterface.h, Ipopt ≥ 3.11).
/// No logic lives here. Index, Int and Bool are C <c>int</c>; Number is <c>double</c>.
/// Callbacks are passed as unmanaged function pointers to static <c>[UnmanagedCallersOnly]</c>
/// methods, so there is no delegate the GC could collect while Ipopt holds the pointer; managed
/// state travels through <c>user_data</c> as a GCHandle owned by the caller for the whole solve.
/// </summary>
/// <remarks>Callback signatures (C): see the <c>Eval_*_CB</c> and <c>Intermediate_CB</c> typedefs.</remarks>
internal static unsafe partial class IpoptNative
{
    /// <summary>The logical library name; <see cref="IpoptLibrary"/> maps it to a file.</summary>
    public const string LibraryName = "ipopt";

    /// <summary>Creates a problem; bounds are copied. Returns an invalid handle if Ipopt rejects the data.</summary>
    [LibraryImport(LibraryName, EntryPoint = "CreateIpoptProblem")]
    public static partial IpoptProblemHandle CreateIpoptProblem(
        int n, double* xL, double* xU, int m, double* gL, double* gU, int nonZerosJacobian, int nonZerosHessian,
        int indexStyle,
        delegate* unmanaged[Cdecl]<int, double*, int, double*, nint, int> evalF,
        delegate* unmanaged[Cdecl]<int, double*, int, int, double*, nint, int> evalG,
        delegate* unmanaged[Cdecl]<int, double*, int, double*, nint, int> evalGradF,
        delegate* unmanaged[Cdecl]<int, double*, int, int, int, int*, int*, double*, nint, int> evalJacG,
        delegate* unmanaged[Cdecl]<int, double*, int, double, int, double*, int, int, int*, int*, double*, nint, int> evalH);

    /// <summary>Frees a problem. Called only by <see cref="IpoptProblemHandle"/>.</summary>
    [LibraryImport(LibraryName, EntryPoint = "FreeIpoptProblem")]
    internal static partial void FreeIpoptProblem(nint problem);

    /// <summary>Sets a string option; returns 0 if Ipopt refuses the keyword or value.</summary>
    [LibraryImport(LibraryName, EntryPoint = "AddIpoptStrOption", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int AddIpoptStrOption(IpoptProblemHandle problem, string keyword, string value);

    /// <summary>Sets a numeric option; returns 0 if Ipopt refuses it.</summary>
    [LibraryImport(LibraryName, EntryPoint = "AddIpoptNumOption", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int AddIpoptNumOption(IpoptProblemHandle problem, string keyword, double value);

    /// <summary>Sets an integer option; returns 0 if Ipopt refuses it.</summary>
    [LibraryImport(LibraryName, EntryPoint = "AddIpoptIntOption", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int AddIpoptIntOption(IpoptProblemHandle problem, string keyword, int value);

    /// <summary>Opens a file that receives Ipopt's output at the given print level.</summary>
    [LibraryImport(LibraryName, EntryPoint = "OpenIpoptOutputFile", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int OpenIpoptOutputFile(IpoptProblemHandle problem, string fileName, int printLevel);

    /// <summary>Sets user scaling: objective factor, and optional per-variable and per-constraint factors (null = none).</summary>
    [LibraryImport(LibraryName, EntryPoint = "SetIpoptProblemScaling")]
    public static partial int SetIpoptProblemScaling(IpoptProblemHandle problem, double objectiveScaling, double* xScaling, double* gScaling);

    /// <summary>Installs the per-iteration callback; returning 0 from it stops the solve (User_Requested_Stop).</summary>
    [LibraryImport(LibraryName, EntryPoint = "SetIntermediateCallback")]
    public static partial int SetIntermediateCallback(
        IpoptProblemHandle problem,
        delegate* unmanaged[Cdecl]<int, int, double, double, double, double, double, double, double, double, int, nint, int> callback);

    /// <summary>Solves from the start point in <paramref name="x"/> (overwritten by the solution).</summary>
    [LibraryImport(LibraryName, EntryPoint = "IpoptSolve")]
    public static partial ApplicationReturnStatus IpoptSolve(
        IpoptProblemHandle problem, double* x, double* g, double* objectiveValue, double* multipliersG,
        double* multipliersXLower, double* multipliersXUpper, nint userData);
}
