import { FeatureHighlights } from '@/features/home/components/feature-highlights';
import { HomeHero } from '@/features/home/components/home-hero';
import { useDocumentTitle } from '@/hooks/use-document-title';

export function HomeRoute() {
  useDocumentTitle();
  return (
    <>
      <HomeHero />
      <FeatureHighlights />
    </>
  );
}
