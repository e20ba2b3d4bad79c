using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace DiffOp.Cluster;

/// <summary>
/// Mutual TLS with one shared cluster certificate: every silo and every trainer presents the same certificate (a PKCS#12
/// file with its private key), and a connection is accepted only when the other side presents exactly that certificate
/// (same thumbprint). Traffic is encrypted, and only holders of the certificate file can join the cluster or run rollouts.
/// </summary>
public static class ClusterTls
{
    /// <summary>Environment variable holding the certificate file's password (never passed on the command line).</summary>
    public const string PasswordVariable = "DIFFOP_TLS_PASSWORD";

    /// <summary>Loads a PKCS#12 (.pfx/.p12) certificate with its private key; the password comes from <see cref="PasswordVariable"/> unless given.</summary>
    /// <exception cref="ArgumentException">The file is missing, unreadable, has no private key or the password is wrong.</exception>
    public static X509Certificate2 Load(string path, string? password = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new ArgumentException($"--tls-certificate: no file at {path} (a PKCS#12 .pfx with the cluster's certificate and private key).");
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password ?? Environment.GetEnvironmentVariable(PasswordVariable));
        }
        catch (CryptographicException ex)
        {
            throw new ArgumentException($"--tls-certificate: {path} could not be read as PKCS#12 ({ex.Message}); is {PasswordVariable} its password?", ex);
        }
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new ArgumentException($"--tls-certificate: {path} has no private key; export the certificate with its key (PKCS#12).");
        }
        return certificate;
    }

    /// <summary>Sets <paramref name="options"/> to mutual TLS pinned to <paramref name="certificate"/>.</summary>
    public static void Configure(TlsOptions options, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(certificate);
        options.LocalCertificate = certificate;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        string thumbprint = certificate.Thumbprint;
        // Pinned: exactly the cluster's certificate, whatever its issuer or host name (a self-signed certificate is the usual case).
        options.RemoteCertificateValidation = (remote, _, _) => remote is not null && string.Equals(remote.Thumbprint, thumbprint, StringComparison.OrdinalIgnoreCase);
    }
}
