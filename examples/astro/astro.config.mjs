// Astro writes the site to dist/ (its default); layercake serves that folder.
export default {};
