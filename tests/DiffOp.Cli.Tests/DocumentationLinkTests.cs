using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace DiffOp.Cli.Tests;

/// <summary>Every relative link in README.md and docs/*.md points to a file that exists in the repository.</summary>
public partial class DocumentationLinkTests
{
    /// <summary>Markdown links and images: [text](target) or ![alt](target), target without a scheme.</summary>
    [GeneratedRegex(@"!?\[[^\]]*\]\(([^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex LinkPattern();

    /// <summary>The relative link targets of a markdown file that do not exist (anchors and URLs are skipped).</summary>
    internal static IReadOnlyList<string> BrokenLinks(string markdownPath)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(markdownPath))!;
        var broken = new List<string>();
        string text = File.ReadAllText(markdownPath);
        foreach (Match match in LinkPattern().Matches(text))
        {
            string target = match.Groups[1].Value;
            if (target.StartsWith('#') || target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal)) continue;
            string path = target.Split('#')[0];
            if (path.Length == 0) continue;
            string full = Path.GetFullPath(Path.Combine(folder, Uri.UnescapeDataString(path)));
            if (!File.Exists(full) && !Directory.Exists(full)) broken.Add(target);
        }
        return broken;
    }

    private static string RepositoryRoot([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", ".."));

    [Test]
    public void ReadmeAndDocs_HaveNoBrokenRelativeLinks()
    {
        string root = RepositoryRoot();
        var files = new[] { Path.Combine(root, "README.md") }.Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md")).ToArray();
        Assert.That(files, Has.Length.GreaterThan(3), "the checker found the documentation");
        var problems = files.SelectMany(f => BrokenLinks(f).Select(t => $"{Path.GetRelativePath(root, f)} → {t}")).ToArray();
        Assert.That(problems, Is.Empty, "broken links:\n" + string.Join("\n", problems));
    }

    [Test]
    public void Checker_ReportsABrokenLink_AndAcceptsGoodOnes()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"diffop-links-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            File.WriteAllText(Path.Combine(folder, "there.md"), "# there");
            string page = Path.Combine(folder, "page.md");
            File.WriteAllText(page, "[ok](there.md) [anchor](#x) [web](https://example.invalid/a) [section](there.md#top) [gone](missing.md) ![pic](img/none.png)");
            Assert.That(BrokenLinks(page), Is.EqualTo(new[] { "missing.md", "img/none.png" }));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }
}
