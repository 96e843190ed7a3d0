// Eleventy's configuration for this example. Posts carry their date in front
// matter: without one, Eleventy dates a page by its file's creation time,
// which differs between checkouts and would make the build unreproducible.
export default function (eleventyConfig) {
	eleventyConfig.addPassthroughCopy("css");
	eleventyConfig.addFilter("isoDate", (date) => date.toISOString().slice(0, 10));
	eleventyConfig.ignores.add("README.md");
}

export const config = {
	markdownTemplateEngine: "njk",
};
